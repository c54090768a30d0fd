import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { preExecRule } from "gatehouse/graphql";
import { ALICE, BOB_ADMIN, harness, securityFor, standardOptions } from "./fixtures.js";

const base = standardOptions();
function setup(rule: ReturnType<ReturnType<typeof preExecRule>>, now?: () => number) {
  return harness({
    ...base,
    now,
    rules: { ...base.rules, R: rule },
    authSchema: { ...base.authSchema, User: { "*": { __authz: { rules: ["R"] } } }, Query: { "*": { __authz: { rules: ["Anyone"] } }, user: { __authz: { rules: ["R"] } } } },
  });
}

describe("per-request cache", () => {
  it("evaluates each (rule, args) once per request, not per list item", async () => {
    let calls = 0;
    const h = setup(preExecRule()(() => (calls++, true)));
    await h.expectAllowed("{ posts { author { name id } comments { author { name } } } }", ALICE);
    // User.name and User.id share (R, {}): one evaluation for the whole request.
    expect(calls).toBe(1);
  });

  it("distinct args are distinct entries", async () => {
    const args: unknown[] = [];
    const h = setup(preExecRule()((_c, a) => (args.push(a), true)));
    await h.run('{ a: user(id: "u1") { id } b: user(id: "u2") { id } c: user(id: "u1") { id } }', ALICE);
    expect(args).toHaveLength(3);
    expect(args).toEqual(expect.arrayContaining([{ id: "u1" }, { id: "u2" }, {}]));
  });

  it("a rule that takes info decides each field on its own: a verdict for User.id never stands for User.secret-like fields", async () => {
    const seen: string[] = [];
    const h = setup(preExecRule()((_c, _a, info) => (seen.push(info.coordinate), info.fieldName !== "name")));
    const result = await h.run("{ me { id name } }", ALICE);
    // User.name is String!: its denial nulls `me`.
    expect(result.data).toEqual({ me: null });
    expect(result.errors?.map((e) => e.path)).toEqual([["me", "name"]]);
    expect(seen.sort()).toEqual(["User.id", "User.name"]);
    // Still once per field, not per list item.
    seen.length = 0;
    await h.run("{ posts { author { id } comments { author { id } } } }", ALICE);
    expect(seen).toEqual(["User.id"]);
  });

  it("a rule that can reach info through a rest or defaulted parameter, or arguments, decides each field on its own too", async () => {
    const fieldOf = (info: unknown) => (info as { fieldName: string }).fieldName;
    const rules = [
      preExecRule()((...args: unknown[]) => fieldOf(args[2]) !== "name"),
      preExecRule()((_c: unknown, _a: unknown = {}, info?: unknown) => fieldOf(info) !== "name"),
      preExecRule()(function (this: unknown) {
        // eslint-disable-next-line prefer-rest-params -- the case under test: a rule reading its third argument through `arguments`
        return fieldOf(arguments[2]) !== "name";
      }),
    ];
    for (const rule of rules) {
      const result = await setup(rule).run("{ me { id name } }", ALICE);
      expect(result.data).toEqual({ me: null });
      expect(result.errors?.map((e) => e.path)).toEqual([["me", "name"]]);
    }
  });

  it("a rule that takes info is cached across requests per field too", async () => {
    let t = 0;
    const seen: string[] = [];
    const h = setup(preExecRule({ cache: { ttlMs: 1000 } })((_c, _a, info) => (seen.push(info.coordinate), info.fieldName !== "name")), () => t);
    for (let i = 0; i < 2; i++) {
      const result = await h.run("{ me { id name } }", ALICE);
      // User.name is String!: its denial nulls `me`.
      expect(result.data).toEqual({ me: null });
    }
    expect(seen.sort()).toEqual(["User.id", "User.name"]);
    t = 2000;
    await h.run("{ me { name } }", ALICE);
    expect(seen).toHaveLength(3);
  });

  it("cache: false evaluates every time it is needed", async () => {
    let calls = 0;
    const h = setup(preExecRule({ cache: false })(() => (calls++, true)));
    await h.run("{ me { id name } }", ALICE);
    expect(calls).toBe(2);
  });

  it("a new request evaluates again", async () => {
    let calls = 0;
    const h = setup(preExecRule()(() => (calls++, true)));
    await h.run("{ me { id } }", ALICE);
    await h.run("{ me { id } }", ALICE);
    expect(calls).toBe(2);
  });
});

describe("ttl cache across requests", () => {
  it("caches per identity until ttl expires", async () => {
    let t = 0;
    let calls = 0;
    const h = setup(preExecRule({ cache: { ttlMs: 1000 } })(() => (calls++, true)), () => t);
    await h.run("{ me { id } }", ALICE);
    await h.run("{ me { id } }", ALICE);
    expect(calls).toBe(1);
    await h.run("{ me { id } }", BOB_ADMIN);
    expect(calls).toBe(2);
    await h.run("{ me { id } }", null);
    expect(calls).toBe(3);
    t = 1001;
    await h.run("{ me { id } }", ALICE);
    expect(calls).toBe(4);
  });

  it("keys entries by the whole identity and permission set (API keys of one owner, role changes)", async () => {
    let calls = 0;
    const h = setup(preExecRule({ cache: { ttlMs: 60_000 } })((_c, _a, info) => (calls++, info.security.getPermission("admin.*") !== null)));
    const as = (identity: object, permissions: { name: string }[]) =>
      h.authz.execute({ schema: h.schema, document: parse(`{ user(id: "u1") { id } }`), contextValue: { security: securityFor(identity as never, permissions) } });
    const full = { id: "owner", type: "apiKey", keyId: "k-full" };
    const scoped = { id: "owner", type: "apiKey", keyId: "k-read" };
    expect((await as(full, [{ name: "admin.*" }])).errors).toBeUndefined();
    expect((await as(scoped, [{ name: "read.*" }])).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Same identity, permissions revoked: the cached allow does not outlive the change.
    expect((await as(full, [])).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await as(full, [{ name: "admin.*" }])).errors).toBeUndefined();
    // Two evaluations per miss (Query.user with args, User.id without); the last request is all hits.
    expect(calls).toBe(6);
  });

  it("never shares an entry between identities (100 interleaved executions)", async () => {
    // Allows only the admin; a shared entry would leak Bob's "yes" to Alice or Alice's "no" to Bob.
    const h = setup(preExecRule({ cache: { ttlMs: 60_000 } })(async (_c, _a, info) => {
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      return info.security.identity?.id === "u2";
    }));
    const document = parse('{ user(id: "u1") { id } }');
    const runs = Array.from({ length: 100 }, (_, i) => {
      const identity = i % 2 === 0 ? ALICE : BOB_ADMIN;
      return Promise.resolve(h.authz.execute({ schema: h.schema, document, contextValue: { security: securityFor(identity) } })).then((r) => ({ identity, r }));
    });
    for (const { identity, r } of await Promise.all(runs)) {
      if (identity === ALICE) expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      else expect(r).toEqual({ data: { user: { id: "u1" } } });
    }
  });

  it("per-request caches are never shared between identities (100 interleaved, no ttl)", async () => {
    const h = setup(preExecRule()(async (_c, _a, info) => {
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      return info.security.identity?.id === "u2";
    }));
    const document = parse('{ user(id: "u1") { id name } }');
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        h.authz.execute({ schema: h.schema, document, contextValue: { security: securityFor(i % 2 ? BOB_ADMIN : ALICE) } }),
      ),
    );
    results.forEach((r, i) => expect(r.errors === undefined).toBe(i % 2 === 1));
  });
});

describe("plan cache", () => {
  it("reuses a plan per document object and stays correct for other operations", async () => {
    const h = harness({ ...standardOptions(), planCacheSize: 1 });
    const doc = parse("query A { me { name } } query B { me { secret } }");
    const ctx = { security: securityFor(ALICE) };
    for (let i = 0; i < 3; i++) {
      expect((await h.authz.execute({ schema: h.schema, document: doc, operationName: "A", contextValue: ctx })).errors).toBeUndefined();
      expect((await h.authz.execute({ schema: h.schema, document: doc, operationName: "B", contextValue: ctx })).errors?.[0]?.path).toEqual(["me", "secret"]);
    }
  });

  it("an unknown operation name falls through to graphql-js errors", async () => {
    const h = harness(standardOptions());
    const r = await h.authz.execute({ schema: h.schema, document: parse("query A { me { name } }"), operationName: "Z" });
    expect(r.errors?.[0]?.message).toMatch(/Unknown operation/);
  });
});
