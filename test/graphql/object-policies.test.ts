import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, policy } from "gatehouse/graphql";
import { ALICE, BOB_ADMIN, attachResolvers, harness, makeSchema, securityFor } from "./fixtures.js";

/** The own-profile layout: everyone reads users, a deny hides other people's email. */
const ownProfile = [
  { id: "queries", effect: "allow", actions: ["query", "mutation"], resources: ["Query::*", "Mutation::*"], roles: ["*"] },
  { id: "read-users", effect: "allow", actions: ["*"], resources: ["User::*", "Post::*", "Comment::*"], roles: ["*"] },
  { id: "own-profile-only", effect: "deny", actions: ["*"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "user.id", operator: "notMatch", expectedOnContext: ["root.id"] }] },
];

const codes = (r: { errors?: ReadonlyArray<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }> }) =>
  (r.errors ?? []).map((e) => [e.path, e.extensions?.code]);

describe("policies that read the object (root.*)", () => {
  it("own profile: Alice sees only her email; each other email is null with FORBIDDEN at its path", async () => {
    const h = harness({ policies: ownProfile });
    const result = await h.run("{ users { id name email } }", ALICE);
    expect(result.data).toEqual({ users: [{ id: "u1", name: "Alice", email: "alice@example.test" }, { id: "u2", name: "Bob", email: null }] });
    expect(codes(result)).toEqual([[["users", 1, "email"], "FORBIDDEN"]]);
  });

  it("own profile: anonymous callers see no email at all", async () => {
    const h = harness({ policies: ownProfile });
    const result = await h.run("{ users { id email } }", null);
    expect(result.data).toEqual({ users: [{ id: "u1", email: null }, { id: "u2", email: null }] });
    expect(codes(result)).toEqual([[["users", 0, "email"], "UNAUTHENTICATED"], [["users", 1, "email"], "UNAUTHENTICATED"]]);
  });

  it("the fields a policy reads are fetched for it and removed when the client did not select them", async () => {
    const h = harness({ policies: ownProfile });
    const result = await h.run("{ users { email } posts { author { email } } }", BOB_ADMIN);
    expect(result.data).toEqual({
      users: [{ email: null }, { email: "bob@example.test" }],
      posts: [{ author: { email: null } }, { author: { email: null } }, { author: { email: "bob@example.test" } }],
    });
    expect(JSON.stringify(result.data)).not.toMatch(/"id"|__gh/);
  });

  it("conditions on nested object paths are fetched as nested selections", async () => {
    const policies = [
      { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*"], roles: ["*"] },
      { id: "fields", effect: "allow", actions: ["*"], resources: ["Post::id", "Post::title", "User::*"], roles: ["*"] },
      { id: "own-or-public-body", effect: "allow", actions: ["*"], resources: ["Post::body"], roles: ["*"], conditions: [{ field: "root.author.id", operator: "equals", expectedOnContext: ["user.id"] }] },
      { id: "public-body", effect: "allow", actions: ["*"], resources: ["Post::body"], roles: ["*"], conditions: [{ field: "root.status", operator: "equals", expected: ["public"] }] },
    ];
    const h = harness({ policies });
    const bob = await h.run("{ posts { title body } }", BOB_ADMIN);
    expect(bob.data).toEqual({ posts: [{ title: "Hello", body: "b1" }, { title: "Draft", body: null }, { title: "Bob's", body: "b3" }] });
    const alice = await h.run("{ posts { body } }", ALICE);
    expect(alice.data).toEqual({ posts: [{ body: "b1" }, { body: "b2" }, { body: "b3" }] });
  });

  it("a condition on a path the object does not have: an allow does not match, a deny does", async () => {
    const allowMissing = [
      { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*", "User::id"], roles: ["*"] },
      { id: "allow-if-missing-field", effect: "allow", actions: ["*"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "root.nickname", operator: "notEquals", expected: ["x"] }] },
    ];
    const a = await harness({ policies: allowMissing }).run("{ users { id email } }", ALICE);
    expect(a.data).toEqual({ users: [{ id: "u1", email: null }, { id: "u2", email: null }] });

    const denyMissing = [
      { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*", "User::*"], roles: ["*"] },
      { id: "deny-unless-equal", effect: "deny", actions: ["*"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "root.nickname", operator: "equals", expected: ["x"] }] },
    ];
    const d = await harness({ policies: denyMissing }).run("{ users { email } }", ALICE);
    expect(d.data).toEqual({ users: [{ email: null }, { email: null }] });
    expect(codes(d).map((c) => c[1])).toEqual(["FORBIDDEN", "FORBIDDEN"]);
  });

  it("an exists guard makes an optional attribute safe to test", async () => {
    const policies = [
      { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*", "Post::*"], roles: ["*"] },
      // Deny bodies of drafts; `body` exists on every post, so the guard lets published ones through.
      { id: "no-drafts", effect: "deny", actions: ["*"], resources: ["Post::body"], roles: ["*"], conditions: [{ field: "root.status", operator: "exists" }, { field: "root.status", operator: "equals", expected: ["draft"] }] },
    ];
    const result = await harness({ policies }).run("{ posts { body } }", ALICE);
    expect(result.data).toEqual({ posts: [{ body: "b1" }, { body: null }, { body: "b3" }] });
  });

  it("root fields have no object: a root-reading deny there denies before execution, and the mutation never runs", async () => {
    const policies = [
      { id: "all", effect: "allow", actions: ["*"], resources: ["*::*"], roles: ["*"] },
      { id: "root-deny", effect: "deny", actions: ["mutation"], resources: ["Mutation::createPost"], roles: ["*"], conditions: [{ field: "root.id", operator: "equals", expected: ["x"] }] },
    ];
    const h = harness({ policies });
    const result = await h.run('mutation { createPost(title: "t") { id } }', ALICE);
    expect(codes(result)).toEqual([[["createPost"], "FORBIDDEN"]]);
    expect(h.calls.get("Mutation.createPost") ?? 0).toBe(0);
  });

  it("policy() named in the auth schema reads the object too; the matrix says it depends on the object", async () => {
    const { schema } = makeSchema();
    const authz = createAuthz({
      schema,
      policies: ownProfile,
      rules: { P: policy(), Anyone: allow },
      authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } }, User: { email: { __authz: { rules: ["P"] } } } },
    });
    const { parse } = await import("graphql");
    const result = await authz.execute({ schema, document: parse("{ users { email } }"), contextValue: { security: securityFor(ALICE) } });
    expect(result).toMatchObject({ data: { users: [{ email: "alice@example.test" }, { email: null }] } });
    const matrix = await authz.matrix([{ name: "alice", security: securityFor(ALICE) }, null]);
    expect(matrix.rows.find((r) => r.coordinate === "User.email")?.cells).toEqual(["depends", "depends"]);
    expect(authz.coverage().uncovered).not.toContain("User.email");
  });

  it("long lists: rows past the first few are checked by the request's planned predicate, with the same outcome", async () => {
    const schema = buildSchema(`type Query { people: [Person!]! } type Person { id: ID! team: String email: String }`);
    const people = Array.from({ length: 40 }, (_, i) => ({ id: `p${i}`, team: i % 3 === 0 ? "red" : "blue", email: `p${i}@example.test` }));
    attachResolvers(schema, { Query: { people: () => people } });
    const policies = [
      { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*", "Person::id", "Person::team"], roles: ["*"] },
      { id: "own-team", effect: "allow", actions: ["*"], resources: ["Person::email"], roles: ["*"], conditions: [{ field: "root.team", operator: "equals", expectedOnContext: ["user.team"] }] },
      { id: "not-p3", effect: "deny", actions: ["*"], resources: ["Person::email"], roles: ["*"], conditions: [{ field: "root.id", operator: "equals", expected: ["p3"] }] },
    ];
    const events: Array<{ path: string; policyId?: string }> = [];
    const authz = createAuthz({ schema, policies, audit: (e) => events.push({ path: String(e.path), policyId: e.policyId }) });
    const run = async (identity: Record<string, unknown> | null) =>
      (await authz.execute({ schema, document: parse("{ people { email } }"), contextValue: { security: securityFor(identity as never) } })) as ExecutionResult;
    const red = await run({ id: "u", team: "red" });
    const emails = (red.data as { people: Array<{ email: string | null }> }).people.map((p) => p.email);
    expect(emails).toEqual(people.map((p) => (p.team === "red" && p.id !== "p3" ? p.email : null)));
    expect(red.errors).toHaveLength(people.length - emails.filter((e) => e !== null).length);
    // Audited denials still name the policy, past the first rows too.
    expect(events.find((e) => e.path === "people.3.email")?.policyId).toBe("not-p3");
    expect(events.find((e) => e.path === "people.38.email")?.policyId).toBeUndefined();
    const anonymous = await run(null);
    expect((anonymous.data as { people: Array<{ email: string | null }> }).people.every((p) => p.email === null)).toBe(true);
  });

  it("a row check planned for one caller serves the next caller only when roles and every context value read are the same", async () => {
    const schema = buildSchema(`type Query { people: [Person!]! } type Person { id: ID! team: String owner: String email(team: String): String }`);
    const people = Array.from({ length: 30 }, (_, i) => ({ id: `p${i}`, team: i % 2 === 0 ? "red" : "blue", owner: `u${i % 5}`, email: `p${i}@example.test` }));
    attachResolvers(schema, { Query: { people: () => people } });
    const policies = [
      { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*", "Person::id", "Person::team", "Person::owner"], roles: ["*"] },
      { id: "own-team", effect: "allow", actions: ["*"], resources: ["Person::email"], roles: ["member"], conditions: [{ field: "root.team", operator: "equals", expectedOnContext: ["user.team"] }] },
      { id: "own-rows", effect: "allow", actions: ["*"], resources: ["Person::email"], roles: ["*"], conditions: [{ field: "root.owner", operator: "equals", expectedOnContext: ["user.id"] }] },
      { id: "format", effect: "allow", actions: ["*"], resources: ["Person::email"], roles: ["auditor"], conditions: [{ field: "root.team", operator: "equals", expectedOnContext: ["args.team"] }] },
    ];
    const authz = createAuthz({ schema, policies });
    const seen = async (identity: Record<string, unknown> | null, query = "{ people { email } }") => {
      const result = (await authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(identity as never) } })) as ExecutionResult;
      return (result.data as { people: Array<{ email: string | null }> }).people.map((p, i) => (p.email === null ? null : i));
    };
    const expected = (keep: (p: (typeof people)[number]) => boolean) => people.map((p, i) => (keep(p) ? i : null));
    // Each caller twice, interleaved, so every second request can use what the first planned.
    for (let round = 0; round < 2; round++) {
      expect(await seen({ id: "u1", roles: ["member"], team: "red" })).toEqual(expected((p) => p.team === "red" || p.owner === "u1"));
      expect(await seen({ id: "u1", roles: ["member"], team: "blue" })).toEqual(expected((p) => p.team === "blue" || p.owner === "u1"));
      expect(await seen({ id: "u2", roles: ["member"], team: "red" })).toEqual(expected((p) => p.team === "red" || p.owner === "u2"));
      expect(await seen({ id: "u2", roles: ["user"], team: "red" })).toEqual(expected((p) => p.owner === "u2"));
      // The field's own arguments are part of what the policies read.
      expect(await seen({ id: "u3", roles: ["auditor"] }, '{ people { email(team: "blue") } }')).toEqual(expected((p) => p.team === "blue" || p.owner === "u3"));
      expect(await seen({ id: "u3", roles: ["auditor"] }, '{ people { email(team: "red") } }')).toEqual(expected((p) => p.team === "red" || p.owner === "u3"));
      expect(await seen(null)).toEqual(expected(() => false));
      // A value that is not plain (here an object) is never part of a key: planned for the request alone.
      expect(await seen({ id: "u4", roles: ["member"], team: { name: "red" } })).toEqual(expected((p) => p.owner === "u4"));
    }
  });

  it("in one request, fields with different policies and arguments each get their own row check", async () => {
    const schema = buildSchema(`type Query { people: [Person!]! } type Person { id: ID! team: String owner: String email(team: String): String phone(team: String): String }`);
    const people = Array.from({ length: 24 }, (_, i) => ({ id: `p${i}`, team: i % 2 === 0 ? "red" : "blue", owner: `u${i % 4}`, email: `p${i}@example.test`, phone: `+${i}` }));
    attachResolvers(schema, { Query: { people: () => people } });
    const read = { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*", "Person::id", "Person::team", "Person::owner"], roles: ["*"] };
    const byUser = [
      read,
      { id: "team-email", effect: "allow", actions: ["*"], resources: ["Person::email"], roles: ["*"], conditions: [{ field: "root.team", operator: "equals", expectedOnContext: ["user.team"] }] },
      { id: "own-phone", effect: "allow", actions: ["*"], resources: ["Person::phone"], roles: ["*"], conditions: [{ field: "root.owner", operator: "equals", expectedOnContext: ["user.id"] }] },
    ];
    // Conditions that read the field's arguments: each field's key is its own.
    const byArgs = [
      read,
      { id: "asked-team", effect: "allow", actions: ["*"], resources: ["Person::email", "Person::phone"], roles: ["*"], conditions: [{ field: "root.team", operator: "equals", expectedOnContext: ["args.team"] }] },
    ];
    const rows = (result: ExecutionResult, key: string) => (result.data as { people: Array<Record<string, unknown>> }).people.map((p, i) => (p[key] === null ? null : i));
    const expected = (keep: (p: (typeof people)[number]) => boolean) => people.map((p, i) => (keep(p) ? i : null));
    const run = async (authz: ReturnType<typeof createAuthz>, query: string, identity: Record<string, unknown>) =>
      (await authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(identity as never) } })) as ExecutionResult;

    const userAuthz = createAuthz({ schema, policies: byUser });
    const argsAuthz = createAuthz({ schema, policies: byArgs });
    // Several requests per caller, so the checks planned on a key's second sighting are used too.
    for (let round = 0; round < 3; round++) {
      for (const [id, team] of [["u1", "red"], ["u2", "blue"]] as const) {
        const both = await run(userAuthz, "{ people { email phone } }", { id, roles: ["user"], team });
        expect(rows(both, "email")).toEqual(expected((p) => p.team === team));
        expect(rows(both, "phone")).toEqual(expected((p) => p.owner === id));
      }
      for (const [first, second] of [["red", "blue"], ["blue", "red"]] as const) {
        const asked = await run(argsAuthz, `{ people { email(team: "${first}") phone(team: "${second}") } }`, { id: "u3", roles: ["user"] });
        expect(rows(asked, "email")).toEqual(expected((p) => p.team === first));
        expect(rows(asked, "phone")).toEqual(expected((p) => p.team === second));
      }
    }
  });

  it("a caller's key is reused across requests only while nothing it reads can change", async () => {
    const schema = buildSchema(`type Query { people: [Person!]! } type Person { id: ID! team: String email: String }`);
    const people = Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, team: i % 2 === 0 ? "red" : "blue", email: `p${i}@example.test` }));
    attachResolvers(schema, { Query: { people: () => people } });
    const policies = [
      { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*", "Person::id", "Person::team"], roles: ["*"] },
      { id: "team-email", effect: "allow", actions: ["*"], resources: ["Person::email"], roles: ["*"], conditions: [{ field: "root.team", operator: "equals", expectedOnContext: ["user.team"] }] },
      { id: "admin-email", effect: "allow", actions: ["*"], resources: ["Person::email"], roles: ["admin"] },
    ];
    let current: { identity: unknown } = { identity: null };
    const authz = createAuthz({ schema, policies, getSecurity: () => ({ identity: current.identity, isAuthorizationDisabled: false, getPermissions: () => [] }) as never });
    const visible = async (identity: unknown) => {
      current = { identity };
      const result = (await authz.execute({ schema, document: parse("{ people { email } }"), contextValue: {} })) as ExecutionResult;
      return (result.data as { people: Array<{ email: string | null }> }).people.map((p, i) => (p.email === null ? null : i));
    };
    const of = (team: string) => people.map((p, i) => (p.team === team ? i : null));

    // The same frozen identity, request after request (as a token cache hands it out).
    const frozen = Object.freeze({ id: "u1", type: "user", roles: Object.freeze(["user"]), team: "red" });
    for (let i = 0; i < 4; i++) expect(await visible(frozen)).toEqual(of("red"));

    // An identity that can change between requests: each request sees what it says then.
    const mutable = { id: "u2", type: "user", roles: ["user"], team: "red" };
    for (const team of ["red", "red", "blue", "blue", "red", "blue"]) {
      mutable.team = team;
      expect(await visible(mutable)).toEqual(of(team));
    }

    // Frozen, but its role list is not: a role added later counts.
    const roles = ["user"];
    const frozenOpenRoles = Object.freeze({ id: "u5", type: "user", roles, team: "blue" });
    for (const admin of [false, false, true, true, false]) {
      roles.length = 1;
      if (admin) roles.push("admin");
      expect(await visible(frozenOpenRoles)).toEqual(admin ? people.map((_, i) => i) : of("blue"));
    }

    // Frozen, but the team is a getter: never remembered by identity.
    let team = "red";
    const withGetter = Object.freeze({ id: "u3", type: "user", roles: Object.freeze(["user"]), get team() { return team; } });
    for (const next of ["red", "red", "blue", "blue", "red"]) {
      team = next;
      expect(await visible(withGetter)).toEqual(of(next));
    }

    // Frozen, but the team sits on a nested object that is not.
    const nested = { name: "red" };
    const policiesNested = [policies[0]!, { ...policies[1]!, conditions: [{ field: "root.team", operator: "equals", expectedOnContext: ["user.org.name"] }] }];
    const authzNested = createAuthz({ schema, policies: policiesNested, getSecurity: () => ({ identity: current.identity, isAuthorizationDisabled: false, getPermissions: () => [] }) as never });
    const withOrg = Object.freeze({ id: "u4", type: "user", roles: Object.freeze(["user"]), org: nested });
    for (const name of ["red", "red", "blue", "blue"]) {
      nested.name = name;
      current = { identity: withOrg };
      const result = (await authzNested.execute({ schema, document: parse("{ people { email } }"), contextValue: {} })) as ExecutionResult;
      expect((result.data as { people: Array<{ email: string | null }> }).people.map((p, i) => (p.email === null ? null : i))).toEqual(of(name));
    }
  });
});
