// Identity isolation: many interleaved requests from different identities on
// ONE authz instance, with per-request and cross-request (TTL) rule caches
// and post-execution rules, must never see each other's decisions or data.
import { buildSchema, parse, type GraphQLFieldResolver } from "graphql";
import { createSecurityContext, type Permission } from "gatehouse";
import { describe, expect, it } from "vitest";
import { and, createAuthz, isAuthenticated, postExecRule, preExecRule, allow, deny } from "gatehouse/graphql";
import { contextOf, createRecipesGraphql, deniedMarkers, emailMarker, permissionsOf, permMarker, RECIPES, type Role } from "./fixtures/recipes-graphql.js";
import { typeDefs } from "../../examples/recipes/src/graphql/type-defs.js";

const ROLES: Role[] = ["joe", "jane", "anonymous"];
const USERS = ["joe", "jane", "ed", "admin"];
const EXECUTIONS = 200;

/** 0–3 ms, so rule evaluations of different requests interleave. */
const jitter = () => new Promise<void>((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));
const user = (id: string | undefined) => (id && USERS.includes(id) ? { id, username: id, displayName: `Name of ${id}`, email: emailMarker(id) } : null);
const idOf = (role: Role) => (role === "anonymous" ? null : role);
/** A deterministic interleaving of the roles, different on every run of the loop. */
const sequence = (n: number) => Array.from({ length: n }, (_, i) => ROLES[(i * 7 + Math.floor(i / 3)) % ROLES.length]!);

/**
 * A schema whose every identity-dependent answer goes through a cache:
 * `User.permissions` through a TTL-cached pre rule (only joe), `User.note`
 * through a per-request pre rule (only jane), `User.email` through a post rule
 * judging each parent row (only the user themself).
 */
function setup() {
  // `note` is nullable, so a per-request denial stays local (displayName is non-null).
  const schema = buildSchema(`${typeDefs}\nextend type User { note: String }`);
  const resolve = (type: string, field: string, fn: GraphQLFieldResolver<any, any>) => {
    (schema.getType(type) as unknown as { getFields(): Record<string, { resolve?: unknown }> }).getFields()[field]!.resolve = fn;
  };
  resolve("Query", "me", async (_p, _a, ctx: { security: ReturnType<typeof contextOf> }) => (await jitter(), user(ctx.security.identity?.id)));
  resolve("Query", "recipes", async () => (await jitter(), RECIPES));
  resolve("Recipe", "createdBy", async (r: { createdBy: { id: string } }) => (await jitter(), user(r.createdBy.id)));
  resolve("User", "permissions", async (u: { id: string }) => (await jitter(), permissionsOf(u.id)));
  resolve("User", "note", (u: { id: string }) => `note of ${u.id}`);

  const calls = { ttl: 0 };
  const OnlyJoeTtl = preExecRule({ cache: { ttlMs: 60_000 }, name: "OnlyJoeTtl" })(async (ctx: { security: ReturnType<typeof contextOf> }) => {
    calls.ttl++;
    await jitter();
    return ctx.security.identity?.id === "joe";
  });
  const OnlyJanePerRequest = preExecRule({ name: "OnlyJanePerRequest" })(async (ctx: { security: ReturnType<typeof contextOf> }) => {
    await jitter();
    return ctx.security.identity?.id === "jane";
  });
  const SelfRow = postExecRule({ selectionSet: "{ id }", name: "SelfRow" })(
    async (ctx: { security: ReturnType<typeof contextOf> }, _a: unknown, _v: unknown, parent: { id?: string }) => {
      await jitter();
      return ctx.security.identity !== null && parent.id === ctx.security.identity.id;
    },
  );
  const rules = (...names: string[]) => ({ __authz: { rules: names } });
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, Deny: deny, OnlyJoe: and(isAuthenticated, OnlyJoeTtl), OnlyJane: OnlyJanePerRequest, Self: and(isAuthenticated, SelfRow) },
    authSchema: {
      Query: { me: rules("Anyone"), recipes: rules("Anyone") },
      Recipe: { "*": rules("Anyone") },
      User: { id: rules("Anyone"), username: rules("Anyone"), email: rules("Self"), permissions: rules("OnlyJoe"), displayName: rules("Anyone"), note: rules("OnlyJane") },
      Permission: { "*": rules("Anyone") },
      "*": { "*": rules("Deny") },
    },
  });
  return { authz, calls };
}

const QUERY = parse(`{
  me { id email note permissions { name } }
  recipes { id createdBy { id email note } }
}`);

interface Answer {
  data: { me: { id: string; email: string | null; note: string | null; permissions: Array<{ name: string }> | null } | null; recipes: Array<{ createdBy: { id: string; email: string | null; note: string | null } }> };
}

function expectOwnAnswer(role: Role, result: unknown) {
  const json = JSON.stringify(result);
  const id = idOf(role);
  // Nobody else's personal data, anywhere in the response.
  for (const other of USERS.filter((u) => u !== id)) {
    expect(json, `${role} got ${other}'s email`).not.toContain(emailMarker(other));
    expect(json, `${role} got ${other}'s permissions`).not.toContain(permMarker(other));
  }
  const { data } = result as Answer;
  expect(data.me?.id ?? null).toBe(id);
  if (id) expect(data.me?.email).toBe(emailMarker(id));
  // Decisions belong to the caller: joe's cached allow never serves jane, jane's per-request allow never serves joe.
  expect(data.me?.permissions !== null && data.me?.permissions !== undefined, `${role} permissions`).toBe(role === "joe");
  expect(data.me?.note !== null && data.me?.note !== undefined, `${role} note`).toBe(role === "jane");
  for (const row of data.recipes) {
    // One row's post-rule verdict never decides another row.
    expect(row.createdBy.email, `${role} row of ${row.createdBy.id}`).toBe(row.createdBy.id === id ? emailMarker(id) : null);
    expect(row.createdBy.note !== null, `${role} row note`).toBe(role === "jane");
  }
}

describe("identity isolation under concurrency", () => {
  it(`${EXECUTIONS} interleaved executions of joe/jane/anonymous with TTL, per-request and post-rule caches`, async () => {
    const { authz } = setup();
    const roles = sequence(EXECUTIONS);
    const results = await Promise.all(
      roles.map((role) => authz.execute({ schema: authz.schema, document: QUERY, contextValue: { security: contextOf(role) } })),
    );
    results.forEach((result, i) => expectOwnAnswer(roles[i]!, result));
  });

  it("keeps answers apart across waves, after the TTL cache is warm", async () => {
    const { authz, calls } = setup();
    let afterFirstWave = 0;
    for (let wave = 0; wave < 3; wave++) {
      const roles = sequence(60).reverse();
      const results = await Promise.all(roles.map((role) => authz.execute({ schema: authz.schema, document: QUERY, contextValue: { security: contextOf(role) } })));
      results.forEach((result, i) => expectOwnAnswer(roles[i]!, result));
      if (wave === 0) afterFirstWave = calls.ttl;
    }
    // The TTL cache really served the later waves (no new evaluations), and still per identity.
    expect(afterFirstWave).toBeGreaterThan(0);
    expect(calls.ttl).toBe(afterFirstWave);
  });

  it("keeps the recipes app's own rules isolated: 200 interleaved executions", async () => {
    const g = createRecipesGraphql();
    const document = parse("{ me { id email permissions { name } } recipes { title ingredients createdBy { id email permissions { name } } } }");
    const roles = sequence(EXECUTIONS);
    const results = await Promise.all(roles.map((role) => g.authz.execute({ schema: g.authz.schema, document, contextValue: { security: contextOf(role) } })));
    results.forEach((result, i) => {
      const json = JSON.stringify(result);
      for (const marker of deniedMarkers(roles[i]!)) expect(json, `${roles[i]} got ${marker}`).not.toContain(marker);
      expect((result as Answer).data.me?.id ?? null).toBe(idOf(roles[i]!));
    });
  });

  it("never serves a TTL-cached allow of one API key to another key of the same owner with fewer permissions", async () => {
    // Store API keys all map to { id: ownerId, type: "apiKey", keyId }: the TTL cache key must tell them apart.
    const schema = buildSchema("type Query { secret: String }");
    (schema.getQueryType()!.getFields().secret as { resolve?: unknown }).resolve = () => "SECRET-ADMIN-ONLY";
    const CanAdmin = preExecRule({ cache: { ttlMs: 60_000 } })((_ctx: unknown, _a: unknown, info: { security: ReturnType<typeof contextOf> }) =>
      info.security.getPermission("recipes.admin") !== null,
    );
    const authz = createAuthz({ schema, rules: { CanAdmin }, authSchema: { Query: { secret: { __authz: { rules: ["CanAdmin"] } } } } });
    const keyContext = (keyId: string, permissions: Permission[]) =>
      createSecurityContext({ identity: { id: "owner-1", type: "apiKey", keyId }, permissions });
    const run = (security: ReturnType<typeof contextOf>) => authz.execute({ schema: authz.schema, document: parse("{ secret }"), contextValue: { security } });
    const full = await run(keyContext("key-full", [{ name: "recipes.admin" }]));
    expect(JSON.stringify(full)).toContain("SECRET-ADMIN-ONLY");
    const scoped = await run(keyContext("key-read-only", [{ name: "recipes.read" }]));
    expect(JSON.stringify(scoped)).not.toContain("SECRET-ADMIN-ONLY");
  });
});
