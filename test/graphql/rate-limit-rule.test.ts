import { makeExecutableSchema } from "@graphql-tools/schema";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import { parse, type ExecutionResult } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { createSecurityContext, NotAuthorizedError, RateLimitedError, type CounterStore, type Identity } from "gatehouse";
import { allow, createAuthz, rateLimit, toGraphQLError, type RateLimitOptions } from "gatehouse/graphql";
import { memoryCounterStore } from "gatehouse/http";
import { redisCounterStore } from "gatehouse/store";

const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL;
const ALICE: Identity = { id: "alice" };
const BOB: Identity = { id: "bob" };

// A stopped clock inside one window: with the real clock, a window boundary passing mid-test would reset the counts.
const stopped = () => memoryCounterStore({ now: () => 10_100 });

function setup(options: Partial<RateLimitOptions> = {}, store: CounterStore = stopped()) {
  const schema = makeExecutableSchema({
    typeDefs: "type Query { search(q: String): [String!]! other: Int }",
    resolvers: { Query: { search: (_p: unknown, { q }: { q?: string }) => [q ?? "all"], other: () => 1 } },
  });
  const limited = rateLimit({ windows: [{ limit: 3, windowMs: 1000 }], store, ...options });
  const authz = createAuthz({
    schema,
    rules: { Limited: limited, Anyone: allow },
    authSchema: { Query: { search: { __authz: { rules: ["Limited"] } }, other: { __authz: { rules: options.per === "operation" ? ["Limited"] : ["Anyone"] } } } },
  });
  const run = async (query: string, identity: Identity | null = ALICE, extra: Record<string, unknown> = {}): Promise<ExecutionResult> =>
    await authz.execute({ schema, document: parse(query), contextValue: { security: createSecurityContext({ identity, permissions: [] }), ...extra } });
  return { run };
}

const denials = (r: ExecutionResult): Array<Record<string, unknown>> => (r.errors ?? []).map((e) => ({ path: e.path, ...e.extensions }));

describe("rateLimit", () => {
  it("allows up to the limit, then denies with RATE_LIMITED and retryAfter", async () => {
    const { run } = setup();
    for (let i = 0; i < 3; i++) expect((await run("{ search }")).data).toEqual({ search: ["all"] });
    const denied = await run("{ search }");
    expect(denied.data).toEqual(null); // search is non-null: the denial nulls the response
    expect(denials(denied)).toEqual([{ path: ["search"], code: "RATE_LIMITED", retryAfter: 1 }]);
    expect(denied.errors?.[0]?.message).toBe("Too many requests.");
  });

  it("counts per identity", async () => {
    const { run } = setup();
    for (let i = 0; i < 4; i++) await run("{ search }", ALICE);
    expect((await run("{ search }", BOB)).errors).toBeUndefined();
  });

  it("anonymous callers are counted per client address, or in one shared bucket without one", async () => {
    const { run } = setup({ clientAddress: (ctx: { ip?: string }) => ctx.ip });
    for (let i = 0; i < 3; i++) expect((await run("{ search }", null, { ip: "10.0.0.1" })).errors).toBeUndefined();
    expect(denials(await run("{ search }", null, { ip: "10.0.0.1" }))[0]?.code).toBe("RATE_LIMITED");
    expect((await run("{ search }", null, { ip: "10.0.0.2" })).errors).toBeUndefined();
    for (let i = 0; i < 3; i++) await run("{ search }", null);
    expect(denials(await run("{ search }", null))[0]?.code).toBe("RATE_LIMITED");
  });

  it("reads the Node request's address by default", async () => {
    const { run } = setup();
    const req = (ip: string) => ({ req: { socket: { remoteAddress: ip } } });
    for (let i = 0; i < 3; i++) await run("{ search }", null, req("10.0.0.9"));
    expect(denials(await run("{ search }", null, req("10.0.0.9")))[0]?.code).toBe("RATE_LIMITED");
    expect((await run("{ search }", null, req("10.0.0.8"))).errors).toBeUndefined();
  });

  it("in one request, each distinct call of a field counts once (aliases with equal arguments share it)", async () => {
    const { run } = setup();
    await run('{ a: search(q: "x") b: search(q: "x") }'); // 1
    await run('{ a: search(q: "x") b: search(q: "y") }'); // 2, 3
    expect(denials(await run('{ search(q: "z") }'))[0]?.code).toBe("RATE_LIMITED");
  });

  it('per: "operation" counts each request once, whatever its name', async () => {
    const { run } = setup({ per: "operation" });
    await run("query A { search other }");
    await run("query B { search other }");
    await run("query C { other }");
    const denied = await run("query D { other }");
    expect(denials(denied)).toEqual([{ path: ["other"], code: "RATE_LIMITED", retryAfter: 1 }]);
  });

  it("several windows: retryAfter is the longest exceeded one", async () => {
    let clock = 0;
    const store = memoryCounterStore({ now: () => clock });
    const { run } = setup({ windows: [{ limit: 2, windowMs: 1000 }, { limit: 3, windowMs: 60_000 }] }, store);
    await run("{ search }");
    await run("{ search }");
    expect(denials(await run("{ search }"))[0]).toMatchObject({ code: "RATE_LIMITED", retryAfter: 1 });
    clock = 1500; // a new second: the per-second window allows again, but the minute is spent
    expect(denials(await run("{ search }"))[0]).toMatchObject({ code: "RATE_LIMITED", retryAfter: 60 });
    clock = 61_000;
    expect((await run("{ search }")).errors).toBeUndefined();
  });

  it("a key of null is not limited", async () => {
    const { run } = setup({ key: () => null });
    for (let i = 0; i < 10; i++) expect((await run("{ search }")).errors).toBeUndefined();
  });

  it("a store failure denies by default (fail closed) and is reported", async () => {
    const onStoreError = vi.fn();
    const broken: CounterStore = { increment: () => Promise.reject(new Error("ECONNREFUSED redis")), reset: async () => undefined };
    const { run } = setup({ onStoreError }, broken);
    const denied = await run("{ search }");
    expect(denials(denied)[0]).toMatchObject({ code: "RATE_LIMITED", retryAfter: 1 });
    expect(JSON.stringify(denied)).not.toContain("ECONNREFUSED");
    expect(onStoreError).toHaveBeenCalledOnce();
  });

  it('whenStoreFails: "allow" lets calls through uncounted', async () => {
    const broken: CounterStore = { increment: () => Promise.reject(new Error("down")), reset: async () => undefined };
    const { run } = setup({ whenStoreFails: "allow" }, broken);
    expect((await run("{ search }")).data).toEqual({ search: ["all"] });
  });

  it("toGraphQLError carries retryAfter of a RateLimitedError, and nothing extra for other errors", () => {
    expect(toGraphQLError(new RateLimitedError("Too many requests.", 30)).extensions).toEqual({ code: "RATE_LIMITED", retryAfter: 30 });
    expect(toGraphQLError(new RateLimitedError()).extensions).toEqual({ code: "RATE_LIMITED" });
    expect(toGraphQLError(new NotAuthorizedError()).extensions).toEqual({ code: "FORBIDDEN" });
  });

  it("rejects invalid options at construction", () => {
    const store = memoryCounterStore();
    const ok = { windows: [{ limit: 1, windowMs: 1000 }], store };
    const bad: unknown[] = [
      undefined,
      { ...ok, windows: [] },
      { ...ok, windows: [{ limit: 0, windowMs: 1000 }] },
      { ...ok, windows: [{ limit: 1, windowMs: 1500 }] },
      { ...ok, windows: [{ limit: 1, windowMs: 0 }] },
      { ...ok, store: {} },
      { ...ok, per: "request" },
      { ...ok, whenStoreFails: "maybe" },
      { ...ok, key: "id" },
      { ...ok, prefix: 1 },
    ];
    for (const options of bad) expect(() => rateLimit(options as RateLimitOptions)).toThrow(TypeError);
  });

  it.skipIf(!REDIS_URL)("shares counts across instances through redisCounterStore [redis]", async () => {
    const clients = [new Redis(REDIS_URL!), new Redis(REDIS_URL!)];
    try {
      const prefix = `gatehouse-test:${randomBytes(6).toString("hex")}:`;
      const nodeA = setup({ windows: [{ limit: 3, windowMs: 60_000 }] }, redisCounterStore(clients[0]!, { prefix }));
      const nodeB = setup({ windows: [{ limit: 3, windowMs: 60_000 }] }, redisCounterStore(clients[1]!, { prefix }));
      await nodeA.run("{ search }");
      await nodeB.run("{ search }");
      await nodeA.run("{ search }");
      expect(denials(await nodeB.run("{ search }"))[0]).toMatchObject({ code: "RATE_LIMITED", retryAfter: 60 });
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });
});
