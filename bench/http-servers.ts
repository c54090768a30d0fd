// The servers of bench/http.ts, one configuration per process: a bare Yoga server and
// one contender beside it (or the recipes example app alone). Started by bench/http.ts
// with BENCH_HTTP_SERVE naming the contender; prints what it serves as one JSON line.
import { createHmac, createPublicKey, createSecretKey, timingSafeEqual, verify, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLSchema } from "graphql";
import type { createYoga as createYogaType } from "graphql-yoga";
import type { Authenticator, Authorizer } from "gatehouse";

export const ISSUER = "https://issuer.bench";
export const AUDIENCE = "bench-api";
export const HS_SECRET = "bench-http-secret-bench-http-secret!!";

/** A bare signature check on a token's signing input and decoded signature: no parsing, no claims. */
export type SignatureCheck = (data: string, signature: Buffer) => boolean;

/**
 * bench/jwt's limit per algorithm with a prepared key: one node:crypto call. The check-only servers run
 * it per request and bench/http.ts times it in a tight loop, so both measure the very same check.
 */
export const signatureChecks = {
  ES256: (key: KeyObject): SignatureCheck => (data, sig) => verify("sha256", Buffer.from(data, "latin1"), { key, dsaEncoding: "ieee-p1363" }, sig),
  HS256: (key: KeyObject): SignatureCheck => (data, sig) => {
    const expected = createHmac("sha256", key).update(data).digest();
    return expected.length === sig.length && timingSafeEqual(expected, sig);
  },
};

/** The servers a child process can run beside bare Yoga, one per process. */
export type Kind = "headerOnly" | "es256Check" | "hs256Check" | "es256" | "hs256" | "hs256Claims" | "recipes";

interface RecipesKey { kid: string; jwk: Record<string, unknown>; iss: string; aud: string; sub: string; username: string }

/** What the child reports once its servers listen. */
export interface Served {
  /** Answers the child's process.cpuUsage(): the servers' CPU time, all threads. */
  cpu: string;
  /** Bare Yoga, in the same process as the contender (none beside the recipes app, which is not compared). */
  bare?: string;
  /** The contender's server. */
  url: string;
  /** The recipes app's signing key and its author joe, to sign the load's tokens. */
  recipesKey?: RecipesKey;
}

type CreateYoga = typeof createYogaType;

async function serve(kind: Kind): Promise<void> {
  const cpu = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(process.cpuUsage())));
  await new Promise<void>((resolve) => cpu.listen(0, "127.0.0.1", resolve));
  const cpuUrl = `http://127.0.0.1:${(cpu.address() as AddressInfo).port}/`;
  const served = kind === "recipes" ? await serveRecipes(cpuUrl) : await serveBeside(kind, cpuUrl);
  process.stdout.write(`${JSON.stringify(served)}\n`);
}

/** The recipes example app on in-memory PGlite, and the key and user its load signs tokens for. */
async function serveRecipes(cpu: string): Promise<Served> {
  const { createRecipesApp } = await import("../examples/recipes/src/app.js");
  const { pino } = await import("pino");
  const app = await createRecipesApp({ databaseUrl: "memory://", port: 0, host: "127.0.0.1", nodeEnv: "development", logger: pino({ level: "silent" }) });
  const { rows } = await app.store.db.query<{ kid: string; private_jwk: unknown }>("SELECT kid, private_jwk FROM recipes_signing_keys WHERE slot = 'primary'");
  const joe = (await app.store.users.get("joe"))!;
  const jwk = typeof rows[0]!.private_jwk === "string" ? JSON.parse(rows[0]!.private_jwk) : rows[0]!.private_jwk;
  return {
    cpu,
    url: `${app.url}/graphql`,
    recipesKey: { kid: rows[0]!.kid, jwk: jwk as Record<string, unknown>, iss: "urn:gatehouse:recipes", aud: "recipes-api", sub: joe.id, username: "joe" },
  };
}

/** Bare Yoga and one contender's server, both in this process: only the one kind is built. */
async function serveBeside(kind: Exclude<Kind, "recipes">, cpu: string): Promise<Served> {
  const [{ createYoga }, { createSecurity }, { useGatehouse }, graphql, { claimsAuthorizer, jwtAuthenticator }, fixture] = await Promise.all([
    import("graphql-yoga"),
    import("gatehouse"),
    import("gatehouse/envelop"),
    import("gatehouse/graphql"),
    import("gatehouse/jwt"),
    import("./graphql-fixture.js"),
  ]);
  const { allow, createAuthz, deny, isAuthenticated, preExecRule } = graphql;
  const esJwk = JSON.parse(process.env.BENCH_HTTP_ES256_JWK!) as Record<string, unknown>;
  const schema = fixture.plainSchema();
  const guarded = (authenticator: Authenticator, authorizers: Authorizer[] = []) => {
    const authz = createAuthz({
      schema,
      rules: { Anyone: allow, Deny: deny, IsAuthenticated: isAuthenticated, IsAdmin: preExecRule()((ctx: { security: { hasFullAccess(): boolean } }) => ctx.security.hasFullAccess()) },
      authSchema: {
        Query: { posts: { __authz: { rules: ["IsAuthenticated"] } }, post: { __authz: { rules: ["IsAuthenticated"] } } },
        Post: { "*": { __authz: { rules: ["Anyone"] } } },
        Comment: { "*": { __authz: { rules: ["Anyone"] } } },
        User: { "*": { __authz: { rules: ["Anyone"] } }, email: { __authz: { rules: ["IsAdmin"] } } },
        "*": { "*": { __authz: { rules: ["Deny"] } } },
      },
    });
    return createYoga({ schema, logging: false, graphiql: false, plugins: [useGatehouse({ security: createSecurity({ authenticators: [authenticator], authorizers }), authz })] });
  };
  const hs256 = () => jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], secret: HS_SECRET });
  const servers: Record<typeof kind, () => Parameters<typeof createServer>[1]> = {
    headerOnly: () => checkOnly(createYoga, schema, () => true),
    es256Check: () => checkOnly(createYoga, schema, signatureChecks.ES256(createPublicKey({ key: esJwk as never, format: "jwk" }))),
    hs256Check: () => checkOnly(createYoga, schema, signatureChecks.HS256(createSecretKey(Buffer.from(HS_SECRET)))),
    es256: () => guarded(jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [esJwk] } })),
    hs256: () => guarded(hs256()),
    // The set-up the authentication guide shows: permissions from the token's roles and claims.
    hs256Claims: () => guarded(hs256(), [claimsAuthorizer({ rolePermissions: { user: [{ name: "posts.post", rwd: "r" }], admin: [{ name: "*" }] } })]),
  };
  return { cpu, bare: await listen(createYoga({ schema, logging: false, graphiql: false })), url: await listen(servers[kind]()) };
}

/**
 * Bare Yoga plus bench/jwt's limit on the request's bearer token (split, decode the signature, one
 * node:crypto call with a prepared key): no parsing, no claims, no cache. What any verifier pays per
 * request in this very server, so bare ÷ this is the best ratio a full verification can reach here.
 */
function checkOnly(createYoga: CreateYoga, schema: GraphQLSchema, check: SignatureCheck) {
  return createYoga({
    schema,
    logging: false,
    graphiql: false,
    plugins: [
      {
        onContextBuilding({ context }: { context: { request: Request } }) {
          const token = (context.request.headers.get("authorization") ?? "").slice("Bearer ".length);
          const dot = token.lastIndexOf(".");
          if (!check(token.slice(0, dot), Buffer.from(token.slice(dot + 1), "base64url"))) throw new Error("bench: signature check failed");
        },
      },
    ],
  });
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

if (import.meta.url === `file://${process.argv[1]}`) await serve(process.env.BENCH_HTTP_SERVE as Kind);
