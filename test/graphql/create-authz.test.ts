import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, and, authzDirectiveTypeDefs, createAuthz, deny, hasPermission, isAuthenticated, not, or, policy, postExecRule, preExecRule } from "gatehouse/graphql";
import { ALICE, BOB_ADMIN, harness, makeSchema, securityFor, standardOptions } from "./fixtures.js";

const anyone = { "*": { "*": { __authz: { rules: ["A"] } } } };

describe("createAuthz misconfiguration", () => {
  const { schema } = makeSchema();
  it.each([
    ["no schema", { schema: undefined }],
    ["unknown rule name in authSchema", { rules: {}, authSchema: { Query: { me: { __authz: { rules: ["Nope"] } } } } }],
    // Unknown type names are accepted and reported by coverage() (test/compat/graphql-authz).
    ["authSchema key naming a scalar", { rules: { A: allow }, authSchema: { String: { __authz: { rules: ["A"] } } } }],
    ["unknown field in authSchema", { rules: { A: allow }, authSchema: { User: { nope: { __authz: { rules: ["A"] } } } } }],
    ["malformed authSchema entry", { rules: { A: allow }, authSchema: { User: { name: { rules: "A" } } } }],
    ["not a rule", { rules: { A: () => true } }],
    ["bad onDenied", { onDenied: "drop" }],
    ["bad mode", { mode: "dry" }],
    ["bad introspection", { introspection: "Nope" }],
    ["bad planCacheSize", { planCacheSize: 0 }],
    ["bad audit", { audit: { log() {} } }],
    ["bad getSecurity", { getSecurity: "security" }],
    ["policy() without policies", { rules: { P: policy() } }],
    ["post rule selecting a missing field", { rules: { A: allow, P: postExecRule({ selectionSet: "{ nope }" })(() => true) }, authSchema: { User: { name: { __authz: { rules: ["P"] } } } } }],
  ])("%s → TypeError", (_name, options) => {
    expect(() => createAuthz({ schema, ...options } as never)).toThrow(TypeError);
  });

  it("unknown rule name in a directive", () => {
    const sdl = buildSchema(`${authzDirectiveTypeDefs} type Query { a: String @authz(rules: [Missing]) }`);
    expect(() => createAuthz({ schema: sdl, rules: {} })).toThrow(/Missing/);
  });

  it("requireFullCoverage throws UncoveredSchemaError listing the fields", () => {
    expect(() => createAuthz({ schema, rules: { A: allow }, authSchema: { Query: { "*": { __authz: { rules: ["A"] } } } }, requireFullCoverage: true })).toThrow(
      expect.objectContaining({ code: "UNCOVERED_FIELDS", coordinates: expect.arrayContaining(["User.name", "Post.title", "Mutation.log"]) }),
    );
    expect(() => createAuthz({ schema, rules: { A: allow }, authSchema: anyone, requireFullCoverage: true })).not.toThrow();
  });
});

describe("rule factories", () => {
  it.each([
    ["preExecRule bad cache", () => preExecRule({ cache: { ttlMs: -1 } })],
    ["preExecRule bad error", () => preExecRule({ error: 42 as never })],
    ["preExecRule fn not a function", () => preExecRule()(undefined as never)],
    ["postExecRule bad selectionSet", () => postExecRule({ selectionSet: "{ ...F }" })],
    ["and() empty", () => and()],
    ["or() with a non-rule", () => or(allow, (() => true) as never)],
    ["hasPermission('')", () => hasPermission("")],
  ])("%s → TypeError", (_name, f) => {
    expect(f).toThrow(TypeError);
  });

  it("composites: and, or, not (a throwing rule under not still denies)", async () => {
    const boom = preExecRule()(() => { throw new Error("x"); });
    const rules = { And: and(allow, isAuthenticated), Or: or(deny, isAuthenticated), Not: not(isAuthenticated), NotBoom: not(boom), Anyone: allow };
    const h = harness({
      rules,
      authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } }, Query: { me: { __authz: { rules: ["And"] } }, posts: { __authz: { rules: ["Or"] } }, grid: { __authz: { rules: ["Not"] } }, node: { __authz: { rules: ["NotBoom"] } } } },
    });
    await h.expectAllowed("{ me { id } posts { id } }", ALICE);
    await h.expectDenied("{ posts { id } }", "UNAUTHENTICATED", ["posts"], null);
    await h.expectAllowed("{ grid }", null);
    await h.expectDenied("{ grid }", "FORBIDDEN", ["grid"], ALICE);
    await h.expectDenied('{ node(id: "u1") { id } }', "FORBIDDEN", ["node"], ALICE);
  });

  it("hasPermission uses getPermission or full access", async () => {
    const h = harness({ rules: { P: hasPermission("recipes.read"), Anyone: allow }, authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } }, Query: { grid: { __authz: { rules: ["P"] } } } } });
    const run = (perms: Array<{ name: string }>) => h.authz.execute({ schema: h.schema, document: parse("{ grid }"), contextValue: { security: securityFor(ALICE, perms) } });
    expect((await run([{ name: "recipes.*" }])).errors).toBeUndefined();
    expect((await run([{ name: "*" }])).errors).toBeUndefined();
    expect((await run([{ name: "other" }])).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("coverage", () => {
  it("lists reachable uncovered fields, nested ones included, sorted", () => {
    const { schema } = makeSchema();
    const authz = createAuthz({ schema, rules: { A: allow }, authSchema: { Query: { "*": { __authz: { rules: ["A"] } } }, User: { name: { __authz: { rules: ["A"] } } } } });
    const { uncovered } = authz.coverage();
    expect(uncovered).toContain("User.email");
    expect(uncovered).toContain("Comment.author");
    expect(uncovered).toContain("Subscription.ticks");
    expect(uncovered).not.toContain("User.name");
    expect(uncovered).not.toContain("Query.me");
    expect(uncovered).toEqual([...uncovered].sort());
  });
});

describe("matrix", () => {
  it("allow / deny / depends per subject", async () => {
    const h = harness({
      ...standardOptions(),
      rules: { ...standardOptions().rules, Post: postExecRule()(() => true), Throws: preExecRule()((_c, args: { id: string }) => args.id.length > 0) },
      authSchema: { ...standardOptions().authSchema, Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["Post"] } } }, Query: { "*": { __authz: { rules: ["Anyone"] } }, users: { __authz: { rules: ["IsAuthenticated"] } }, user: { __authz: { rules: ["Throws"] } }, requiredSecret: { __authz: { rules: ["IsAdmin"] } } } },
    });
    const m = await h.authz.matrix([{ name: "anonymous", security: securityFor(null) }, { name: "alice", security: securityFor(ALICE) }, { name: "admin", security: securityFor(BOB_ADMIN) }]);
    expect(m.subjects).toEqual(["anonymous", "alice", "admin"]);
    const row = (c: string) => m.rows.find((r) => r.coordinate === c)?.cells;
    expect(row("Query.users")).toEqual(["deny", "allow", "allow"]);
    expect(row("Query.requiredSecret")).toEqual(["deny", "deny", "allow"]);
    expect(row("Post.body")).toEqual(["depends", "depends", "depends"]);
    expect(row("Query.user")).toEqual(["depends", "depends", "depends"]);
  });
});

describe("matrix: async rules and composite post rules", () => {
  it("awaits async pre rules and lets the data-free part of and(pre, post) deny", async () => {
    const h = harness({
      ...standardOptions(),
      rules: {
        ...standardOptions().rules,
        AsyncAdmin: preExecRule()(async (ctx: { security: { hasFullAccess(): boolean } }) => ctx.security.hasFullAccess()),
        SelfOnly: and(isAuthenticated, postExecRule()(() => true)),
      },
      authSchema: {
        ...standardOptions().authSchema,
        Query: { "*": { __authz: { rules: ["Anyone"] } }, users: { __authz: { rules: ["AsyncAdmin"] } }, user: { __authz: { rules: ["SelfOnly"] } } },
      },
    });
    const m = await h.authz.matrix([{ name: "anonymous", security: securityFor(null) }, { name: "admin", security: securityFor(BOB_ADMIN, [{ name: "*" }]) }]);
    const row = (c: string) => m.rows.find((r) => r.coordinate === c)!.cells;
    expect(row("Query.users")).toEqual(["deny", "allow"]);
    expect(row("Query.user")).toEqual(["deny", "depends"]);
  });
});

describe("matrix: subject shapes", () => {
  it("is synchronous for synchronous rules and accepts identities and null", () => {
    const h = harness(standardOptions());
    const m = h.authz.matrix([null, { ...BOB_ADMIN, permissions: [{ name: "*" }] }]);
    expect(m).not.toBeInstanceOf(Promise);
    const sync = m as Exclude<typeof m, Promise<unknown>>;
    expect(sync.subjects).toEqual(["anonymous", "u2"]);
    expect(sync.rows.length).toBeGreaterThan(0);
    expect(sync.rows.every((r) => r.cells.length === 2)).toBe(true);
  });
});
