import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createPolicyEngine } from "gatehouse/policy";
import { allow, createAuthz, policy } from "gatehouse/graphql";
import { ALICE, BOB_ADMIN, harness, makeSchema, securityFor } from "./fixtures.js";

const policies = [
  { id: "read", effect: "Allow", actions: ["query"], resources: ["Query::*", "Post::*", "User::*", "Comment::*"], roles: ["*"] },
  { id: "no-secrets", effect: "Deny", actions: ["*"], resources: ["User::secret"], roles: ["user"] },
  { id: "admin-secrets", effect: "Allow", actions: ["*"], resources: ["User::secret"], roles: ["admin"] },
  { id: "own-draft", effect: "Allow", actions: ["mutation"], resources: ["Mutation::createPost"], roles: ["*"], conditions: [{ field: "args.title", operator: "notEquals", expected: ["forbidden"] }] },
];

describe("policies", () => {
  it("fields matched by a policy resource get an implicit policy() rule", async () => {
    const h = harness({ policies });
    await h.expectAllowed("{ posts { id title author { name } } }", ALICE);
    await h.expectDenied("{ me { secret } }", "FORBIDDEN", ["me", "secret"], { ...ALICE, roles: ["user"] });
    const admin = await h.run("{ me { secret } }", { ...BOB_ADMIN, roles: ["admin"] });
    expect(admin.errors).toBeUndefined();
  });

  it("action is the operation type, conditions read args", async () => {
    const h = harness({ policies });
    await h.expectDenied('mutation { createPost(title: "forbidden") { id } }', "FORBIDDEN", ["createPost"], ALICE);
    expect(h.calls.get("Mutation.createPost") ?? 0).toBe(0);
    // Post fields under a mutation are asked with action "mutation": no policy allows them.
    const r = await h.run('mutation { createPost(title: "ok") { id } }', ALICE);
    expect(r.errors?.[0]?.path).toEqual(["createPost", "id"]);
  });

  it("fields no policy matches stay uncovered and denied", () => {
    const { schema } = makeSchema();
    const authz = createAuthz({ schema, policies: createPolicyEngine(policies) });
    expect(authz.coverage().uncovered).toContain("Mutation.log");
    expect(authz.coverage().uncovered).not.toContain("User.secret");
  });

  it("policy() can be used explicitly next to other rules; invalid policies are INVALID_POLICY", () => {
    const { schema } = makeSchema();
    expect(() => createAuthz({ schema, policies: [{ id: "x", effect: "maybe" }] })).toThrow(expect.objectContaining({ code: "INVALID_POLICY" }));
    const authz = createAuthz({ schema, policies, rules: { P: policy(), A: allow }, authSchema: { Mutation: { log: { __authz: { rules: ["P"] } } } } });
    expect(authz.coverage().uncovered).not.toContain("Mutation.log");
  });

  it("matrix marks policies with conditions as depends", async () => {
    const { schema } = makeSchema();
    const authz = createAuthz({ schema, policies });
    const m = await authz.matrix([{ name: "user", security: securityFor({ id: "u", roles: ["user"] }) }, { name: "admin", security: securityFor({ id: "a", roles: ["admin"] }) }]);
    const row = (c: string) => m.rows.find((r) => r.coordinate === c)?.cells;
    expect(row("User.secret")).toEqual(["deny", "allow"]);
    expect(row("Mutation.createPost")).toEqual(["depends", "depends"]);
    expect(row("Query.posts")).toEqual(["allow", "allow"]);
  });
});

describe("policies decided by roles alone", () => {
  const rolesOnly = [
    { id: "read", effect: "Allow", actions: ["query"], resources: ["Query::*", "Post::*", "User::id", "User::name"], roles: ["*"] },
    { id: "admin-secrets", effect: "Allow", actions: ["query"], resources: ["User::secret"], roles: ["admin"] },
    { id: "own-email", effect: "Allow", actions: ["query"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "user.id", operator: "equals", expected: ["u1"] }] },
  ];

  it("gives each caller the answer of its own roles and context, whatever was asked before", async () => {
    const h = harness({ policies: rolesOnly });
    for (let round = 0; round < 3; round++) {
      expect((await h.run("{ me { secret } }", { ...BOB_ADMIN, roles: ["admin"] })).errors).toBeUndefined();
      await h.expectDenied("{ me { secret } }", "FORBIDDEN", ["me", "secret"], { ...ALICE, roles: ["user"] });
      // A condition on the caller: never answered from the roles, which are the same for both.
      expect((await h.run("{ me { email } }", { ...ALICE, roles: ["user"] })).errors).toBeUndefined();
      await h.expectDenied("{ me { email } }", "FORBIDDEN", ["me", "email"], { ...BOB_ADMIN, roles: ["user"] });
    }
  });

  it("one document asked again and again: each role set keeps its own answer, odd role lists are judged in full", async () => {
    const h = harness({ policies: rolesOnly });
    const document = parse("{ me { id name secret } }");
    const ask = async (roles: unknown) => {
      const identity = { ...ALICE, roles } as never;
      const result = await h.authz.execute({ schema: h.schema, document, contextValue: { security: securityFor(identity) } });
      return (result.errors ?? []).map((e) => [e.path?.join("."), e.extensions?.code]);
    };
    const denied = [["me.secret", "FORBIDDEN"]];
    let reads = 0;
    // A role list whose first role is "user" when read once, "admin" after: never remembered as either.
    const shifty = () => new Proxy(["user"], { get: (t, k) => (k === "0" ? (reads++ % 2 === 0 ? "user" : "admin") : Reflect.get(t, k)) });
    for (let round = 0; round < 4; round++) {
      expect(await ask(["admin"])).toEqual([]);
      expect(await ask(["user"])).toEqual(denied);
      expect(await ask([])).toEqual(denied);
      expect(await ask(["user", "admin"])).toEqual([]);
      expect(await ask(["admin\u0000x"])).toEqual(denied);
      await ask(shifty());
      expect(await ask(["user"])).toEqual(denied);
      expect(await ask(["admin"])).toEqual([]);
    }
  });
});
