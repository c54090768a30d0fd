// End-to-end HTTP requests/s on loopback: bare GraphQL Yoga vs Yoga + gatehouse
// (ES256 JWT authentication, field authorization), same schema and data.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import autocannon from "autocannon";
import { createYoga } from "graphql-yoga";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { createSecurity } from "gatehouse";
import { useGatehouse } from "gatehouse/envelop";
import { allow, createAuthz, deny, isAuthenticated, preExecRule } from "gatehouse/graphql";
import { jwtAuthenticator } from "gatehouse/jwt";
import { listQuery, plainSchema } from "./graphql-fixture.js";
import { round1, toMarkdown, type BenchReport } from "./harness.js";

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

export async function run(opts: { quick: boolean }): Promise<BenchReport> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "ES256", use: "sig" };
  const token = await new SignJWT({ roles: ["user"] })
    .setProtectedHeader({ alg: "ES256", kid: "bench" })
    .setSubject("u1").setIssuer("https://issuer.bench").setAudience("bench-api").setIssuedAt().setExpirationTime("1h")
    .sign(privateKey);

  const schema = plainSchema();
  const bare = createYoga({ schema, logging: false, graphiql: false });
  const security = createSecurity({
    authenticators: [jwtAuthenticator({ issuer: "https://issuer.bench", audience: "bench-api", algorithms: ["ES256"], jwks: { keys: [jwk] } })],
  });
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
  const guarded = createYoga({ schema, logging: false, graphiql: false, plugins: [useGatehouse({ security, authz })] });

  const servers = [await listen(bare), await listen(guarded)];
  const duration = opts.quick ? 2 : 10;
  const rows: BenchReport["rows"] = [];
  try {
    for (const n of opts.quick ? [10] : [10, 100]) {
      const body = JSON.stringify({ query: listQuery(n, false) });
      const results = [];
      for (const [i, { url }] of servers.entries()) {
        const headers: Record<string, string> = { "content-type": "application/json", ...(i === 1 ? { authorization: `Bearer ${token}` } : {}) };
        // Warm up, then measure.
        await autocannon({ url, connections: 10, duration: 1, method: "POST", headers, body });
        const r = await autocannon({ url, connections: 10, duration, method: "POST", headers, body });
        if (r.non2xx || r.errors) throw new Error(`${i === 0 ? "bare" : "gatehouse"}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        results.push(r);
      }
      const [b, g] = results as [Awaited<ReturnType<typeof autocannon>>, Awaited<ReturnType<typeof autocannon>>];
      rows.push({ query: `posts(limit: ${n})`, server: "bare Yoga", "req/s": round1(b.requests.average), "p50 ms": b.latency.p50, "p99 ms": b.latency.p99, "× bare req/s": 1 });
      rows.push({
        query: `posts(limit: ${n})`, server: "Yoga + gatehouse (ES256 JWT + authz)", "req/s": round1(g.requests.average),
        "p50 ms": g.latency.p50, "p99 ms": g.latency.p99, "× bare req/s": round1((g.requests.average / b.requests.average) * 100) / 100,
      });
    }
  } finally {
    await Promise.all(servers.map(({ server }) => new Promise((r) => server.close(r))));
  }
  return {
    name: "HTTP end to end (autocannon, loopback, 10 connections)",
    rows,
    notes: [`${duration}s per contender after a 1s warm-up; the gatehouse server authenticates every request with the same ES256 JWT (full verification once, then the default verified-token cache) and authorizes every field.`],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(toMarkdown(await run({ quick: process.argv.includes("--quick") })));
}
