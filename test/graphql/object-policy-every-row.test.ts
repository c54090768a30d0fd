import { buildSchema, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { createPolicyEngine } from "gatehouse/policy";
import { objectPolicyRule } from "../../src/graphql/object-policy.js";
import type { JudgeScope, RuleInfo } from "../../src/graphql/types.js";
import { ALICE, BOB_ADMIN, harness } from "./fixtures.js";

// An admin is allowed every email without conditions; others only their own.
// Once the admin's row check is remembered as "every row", the rows need not
// be read at all; nobody else may ever inherit that shortcut.
const policies = [
  { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*"], roles: ["*"] },
  { id: "fields", effect: "allow", actions: ["*"], resources: ["User::id", "User::name"], roles: ["*"] },
  { id: "admin-all", effect: "allow", actions: ["*"], resources: ["User::email"], roles: ["admin"] },
  { id: "own", effect: "allow", actions: ["*"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "root.id", operator: "equals", expectedOnContext: ["user.id"] }] },
];
const ALL_EMAILS = { users: [{ id: "u1", email: "alice@example.test" }, { id: "u2", email: "bob@example.test" }] };
const ALICES_ONLY = { users: [{ id: "u1", email: "alice@example.test" }, { id: "u2", email: null }] };

describe("a policy that allows every row for the caller's roles", () => {
  it("gives the admin every row on every request, and never passes the shortcut to another role set", async () => {
    const h = harness({ policies });
    for (let i = 0; i < 4; i++) {
      expect((await h.run("{ users { id email } }", BOB_ADMIN)).data).toEqual(ALL_EMAILS);
      const alice = await h.run("{ users { id email } }", ALICE);
      expect(alice.data).toEqual(ALICES_ONLY);
      expect(alice.errors?.map((e) => e.path)).toEqual([["users", 1, "email"]]);
    }
  });

  it("fields fetched only for the policy are still removed once the admin's rows are no longer read", async () => {
    const h = harness({ policies });
    for (let i = 0; i < 4; i++) {
      const result = await h.run("{ users { email } }", BOB_ADMIN);
      expect(result).toEqual({ data: { users: [{ email: "alice@example.test" }, { email: "bob@example.test" }] } });
    }
  });

  it("a deny with a condition on the object keeps every admin row judged", async () => {
    const h = harness({
      policies: [...policies, { id: "no-alice", effect: "deny", actions: ["*"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "root.id", operator: "equals", expected: ["u1"] }] }],
    });
    for (let i = 0; i < 4; i++) {
      const result = await h.run("{ users { id email } }", BOB_ADMIN);
      expect(result.data).toEqual({ users: [{ id: "u1", email: null }, { id: "u2", email: "bob@example.test" }] });
    }
  });
});

describe("allowsEveryRow", () => {
  const schema = buildSchema("type Query { users: [User!]! } type User { id: ID! email: String }");
  const user = schema.getType("User") as GraphQLObjectType;
  const infoFor = (identity: { id: string; roles: string[] }) => ({ security: { identity }, operation: { operation: "query" } }) as unknown as RuleInfo;
  const scope = (): JudgeScope => ({ memo: new Map(), explain: false });

  it("is true only once a check that selects every row is remembered for the request's key", () => {
    const rule = objectPolicyRule(createPolicyEngine({ policies }), user, "email")!;
    const admin = infoFor({ id: "u2", roles: ["user", "admin"] });
    const reader = infoFor({ id: "u1", roles: ["user"] });
    expect(rule.allowsEveryRow!(null, {}, admin, scope())).toBe(false);
    // Requests with a few rows each: the second with the same key plans and remembers the check.
    for (let i = 0; i < 2; i++) {
      const s = scope();
      const rows = rule.prepare!(null, {}, admin, s);
      expect(rows({ id: "u1" }, admin).ok).toBe(true);
      const r = rule.prepare!(null, {}, reader, scope());
      expect(r({ id: "u2" }, reader).ok).toBe(false);
    }
    expect(rule.allowsEveryRow!(null, {}, admin, scope())).toBe(true);
    // The reader's remembered check reads the object: never "every row".
    expect(rule.allowsEveryRow!(null, {}, reader, scope())).toBe(false);
  });

  it("is false for an engine that cannot plan", () => {
    const engine = createPolicyEngine({ policies });
    const noPlan = { ...engine, plan: undefined } as unknown as typeof engine;
    const rule = objectPolicyRule(noPlan, user, "email")!;
    const admin = infoFor({ id: "u2", roles: ["user", "admin"] });
    for (let i = 0; i < 3; i++) rule.prepare!(null, {}, admin, scope());
    expect(rule.allowsEveryRow!(null, {}, admin, scope())).toBe(false);
  });
});
