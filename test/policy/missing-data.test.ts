import { describe, expect, it } from "vitest";
import { createPolicyEngine, type Policy, type PolicyCondition } from "gatehouse/policy";

const on = { actions: ["query"], resources: ["User::email"], roles: ["*"] };

/** An engine with an allow-everything policy and one deny with `conditions`. */
function withDeny(conditions: PolicyCondition[]) {
  const engine = createPolicyEngine([
    { id: "everyone", effect: "allow", ...on },
    { id: "guarded", effect: "deny", ...on, conditions },
  ]);
  return (context?: Record<string, unknown>) => engine.evaluate({ resource: "User::email", action: "query", roles: [], ...(context ? { context } : {}) });
}

/** An engine with one allow with `conditions`. */
function withAllow(conditions: PolicyCondition[]) {
  const engine = createPolicyEngine([{ id: "guarded", effect: "allow", ...on, conditions }]);
  return (context?: Record<string, unknown>) => engine.evaluate({ resource: "User::email", action: "query", roles: [], ...(context ? { context } : {}) }).allowed;
}

// Each condition with a context where it cannot be evaluated (missing or wrong type).
const unevaluable: Array<[label: string, condition: PolicyCondition, context: Record<string, unknown>]> = [
  ["match, field missing", { field: "user.name", operator: "match", expected: "a*" }, { user: {} }],
  ["notMatch, field missing", { field: "user.id", operator: "notMatch", expected: "admin" }, {}],
  ["notMatch, field an object", { field: "user.id", operator: "notMatch", expected: "admin" }, { user: { id: { a: 1 } } }],
  ["equals, field missing", { field: "user.banned", operator: "equals", expected: true }, { user: {} }],
  ["notEquals, field an array", { field: "user.plan", operator: "notEquals", expected: "free" }, { user: { plan: ["pro"] } }],
  ["in, field an object", { field: "user.team", operator: "in", expected: ["red"] }, { user: { team: {} } }],
  ["notIn, field missing", { field: "request.country", operator: "notIn", expected: ["NZ"] }, { request: {} }],
  ["lessThan, field missing", { field: "user.age", operator: "lessThan", expected: 18 }, { user: {} }],
  ["lessThan, field text", { field: "user.age", operator: "lessThan", expected: 18 }, { user: { age: "seventeen" } }],
  ["greaterThan, field null", { field: "args.limit", operator: "greaterThan", expected: 100 }, { args: { limit: null } }],
  ["greaterThan, field boolean", { field: "args.limit", operator: "greaterThan", expected: 100 }, { args: { limit: true } }],
  ["expectedOnContext missing", { field: "user.id", operator: "notMatch", expectedOnContext: ["args.ownerId"] }, { user: { id: "u1" }, args: {} }],
  ["expectedOnContext wrong type", { field: "user.id", operator: "notEquals", expectedOnContext: ["args.ownerId"] }, { user: { id: "u1" }, args: { ownerId: ["u1"] } }],
  ["expectedOnContext non-numeric", { field: "args.n", operator: "lessThan", expectedOnContext: ["user.max"] }, { args: { n: 1 }, user: { max: "lots" } }],
  ["no context at all", { field: "user.id", operator: "notMatch", expected: "admin" }, {}],
];

describe("missing data never weakens a deny", () => {
  it.each(unevaluable)("a deny matches when its condition cannot be evaluated: %s", (_label, condition, context) => {
    expect(withDeny([condition])(context)).toMatchObject({ allowed: false, effect: "deny", policyId: "guarded" });
  });

  it.each(unevaluable)("an allow does not match when its condition cannot be evaluated: %s", (_label, condition, context) => {
    expect(withAllow([condition])(context)).toBe(false);
  });

  it("exists always evaluates: it guards optional attributes, in either order", () => {
    const guard: PolicyCondition = { field: "user.banned", operator: "exists" };
    const banned: PolicyCondition = { field: "user.banned", operator: "equals", expected: [true] };
    for (const conditions of [[guard, banned], [banned, guard]]) {
      const ask = withDeny(conditions);
      expect(ask({ user: { id: "u1" } })).toMatchObject({ allowed: true, policyId: "everyone" });
      expect(ask({ user: { id: "u1", banned: false } }).allowed).toBe(true);
      expect(ask({ user: { id: "u1", banned: true } })).toMatchObject({ allowed: false, policyId: "guarded" });
      // A present value of the wrong type passes the guard and cannot be evaluated: denied.
      expect(ask({ user: { id: "u1", banned: { maybe: true } } })).toMatchObject({ allowed: false, policyId: "guarded" });
    }
  });

  it("a condition that is false keeps a deny from matching, even next to one that cannot be evaluated", () => {
    const ask = withDeny([
      { field: "user.role", operator: "equals", expected: "intern" },
      { field: "request.ip", operator: "notMatch", expected: "10.*" },
    ]);
    expect(ask({ user: { role: "staff" } }).allowed).toBe(true);
    expect(ask({ user: { role: "intern" } })).toMatchObject({ allowed: false, policyId: "guarded" });
  });

  it("keeps the old answers when the data is there", () => {
    const ask = withDeny([{ field: "user.age", operator: "lessThan", expected: 18 }]);
    expect(ask({ user: { age: 30 } }).allowed).toBe(true);
    expect(ask({ user: { age: "30" } }).allowed).toBe(true);
    expect(ask({ user: { age: 12 } }).allowed).toBe(false);
  });
});

describe("policies that read the object (root)", () => {
  // The own-profile example of docs/policy.md.
  const ownProfile: Policy[] = [
    { id: "read-users", effect: "allow", actions: ["query"], resources: ["User::*"], roles: ["*"] },
    {
      id: "own-profile-only",
      effect: "deny",
      actions: ["*"],
      resources: ["User::email"],
      roles: ["*"],
      conditions: [{ field: "user.id", operator: "notMatch", expectedOnContext: ["root.id"] }],
    },
  ];
  const setup = () => {
    const engine = createPolicyEngine(ownProfile);
    const ask = (resource: string, context: Record<string, unknown>) => engine.evaluate({ resource, action: "query", roles: [], context });
    return { engine, ask };
  };

  it("decides per object when root is given", () => {
    const { ask } = setup();
    expect(ask("User::email", { user: { id: "alice" }, root: { id: "alice" } })).toMatchObject({ allowed: true, policyId: "read-users" });
    expect(ask("User::email", { user: { id: "alice" }, root: { id: "bob" } })).toMatchObject({ allowed: false, policyId: "own-profile-only" });
    // An object without the id it is judged by cannot be evaluated: denied.
    expect(ask("User::email", { user: { id: "alice" }, root: {} })).toMatchObject({ allowed: false, policyId: "own-profile-only" });
    expect(ask("User::email", { user: { id: "alice" }, root: null }).allowed).toBe(false);
  });

  it("says the decision depends on the object when there is no root, and never allows", () => {
    const { ask } = setup();
    const decision = ask("User::email", { user: { id: "alice" } });
    expect(decision).toEqual({
      allowed: false,
      effect: "deny",
      policyId: "own-profile-only",
      reason: "depends on the object: policy 'own-profile-only' reads root",
      dependsOnObject: true,
    });
    // Fields the object-reading policy does not cover are decided as usual.
    expect(ask("User::name", { user: { id: "alice" } })).toMatchObject({ allowed: true, policyId: "read-users" });
    expect(ask("User::name", { user: { id: "alice" } }).dependsOnObject).toBeUndefined();
  });

  it("denies anonymous callers outright: user.id is missing, whatever the object", () => {
    const { ask } = setup();
    for (const context of [{}, { root: { id: "bob" } }, { root: {} }]) {
      const decision = ask("User::email", context);
      expect(decision).toMatchObject({ allowed: false, effect: "deny", policyId: "own-profile-only" });
      expect(decision.dependsOnObject).toBeUndefined();
    }
  });

  it("an allow that reads root gives a default deny that depends on the object", () => {
    const engine = createPolicyEngine([
      { id: "own", effect: "allow", ...on, conditions: [{ field: "root.ownerId", operator: "equals", expectedOnContext: ["user.id"] }] },
    ]);
    const ask = (context: Record<string, unknown>) => engine.evaluate({ resource: "User::email", action: "query", roles: [], context });
    expect(ask({ user: { id: "u1" } })).toEqual({
      allowed: false,
      effect: "default-deny",
      reason: "depends on the object: policy 'own' reads root",
      dependsOnObject: true,
    });
    expect(ask({ user: { id: "u1" }, root: { ownerId: "u1" } }).allowed).toBe(true);
    // Without a caller id the allow can never match: a plain default deny.
    expect(ask({}).dependsOnObject).toBeUndefined();
  });

  it("a deny that reads root does not matter when nothing could allow", () => {
    const engine = createPolicyEngine([ownProfile[1]!]);
    const decision = engine.evaluate({ resource: "User::email", action: "query", roles: [], context: { user: { id: "a" } } });
    expect(decision).toMatchObject({ allowed: false, effect: "default-deny" });
    expect(decision.dependsOnObject).toBeUndefined();
  });

  it("explain agrees with evaluate on object-dependent decisions", () => {
    const { engine } = setup();
    for (const context of [{ user: { id: "a" } }, {}, { user: { id: "a" }, root: { id: "a" } }, { user: { id: "a" }, root: { id: "b" } }]) {
      const input = { resource: "User::email", action: "query", roles: [], context };
      const { considered: _considered, ...decision } = engine.explain(input);
      expect(decision).toEqual(engine.evaluate(input));
    }
  });
});

describe("objectPaths", () => {
  const setup = () =>
    createPolicyEngine([
      { id: "a", effect: "allow", actions: ["query"], resources: ["User::*"], roles: ["admin"], conditions: [{ field: "root.orgId", operator: "equals", expectedOnContext: ["user.orgId"] }] },
      { id: "b", effect: "deny", actions: ["*"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "user.id", operator: "notMatch", expectedOnContext: ["root.id", "root.owner.id"] }] },
      { id: "c", effect: "deny", actions: ["mutation"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "root.locked", operator: "exists" }] },
      { id: "d", effect: "allow", actions: ["query"], resources: ["*::email"], roles: ["*"], conditions: [{ field: "root.id", operator: "exists" }] },
      { id: "e", effect: "allow", actions: ["query"], resources: ["Post::title*"], roles: ["*"], conditions: [{ field: "root.published", operator: "equals", expected: true }] },
    ]);

  it("lists the root paths of every policy that could apply, any role, root. stripped, without repeats", () => {
    const engine = setup();
    expect(engine.objectPaths("User::email", "query")).toEqual(["orgId", "id", "owner.id"]);
    expect(engine.objectPaths("User::email", "mutation")).toEqual(["id", "owner.id", "locked"]);
    expect(engine.objectPaths("User::name", "query")).toEqual(["orgId"]);
    expect(engine.objectPaths("Post::titleShort", "query")).toEqual(["published"]);
    expect(engine.objectPaths("Post::body", "query")).toEqual([]);
  });

  it("returns [] for malformed input and a fresh array each time", () => {
    const engine = setup();
    expect(engine.objectPaths("User", "query")).toEqual([]);
    expect(engine.objectPaths(7 as never, "query")).toEqual([]);
    const first = engine.objectPaths("User::email", "query");
    first.push("mutated");
    expect(engine.objectPaths("User::email", "query")).toEqual(["orgId", "id", "owner.id"]);
  });
});
