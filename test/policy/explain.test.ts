import { describe, expect, it } from "vitest";
import { createPolicyEngine, type EvaluateInput, type Policy, type PolicyEngineOptions } from "gatehouse/policy";

const base = { actions: ["query"], resources: ["User::email"], roles: ["user"] };
const policies: Policy[] = [
  { id: "mutations", effect: "allow", ...base, actions: ["mutation"] },
  { id: "other-field", effect: "allow", ...base, resources: ["User::name"] },
  { id: "admins", effect: "allow", ...base, roles: ["admin"] },
  { id: "own", effect: "allow", ...base, conditions: [{ field: "user.id", operator: "equals", expectedOnContext: ["root.id"] }] },
  { id: "verified", effect: "allow", ...base, conditions: [{ field: "user.verified", operator: "equals", expected: true }] },
  { id: "everyone", effect: "Allow", ...base, roles: ["*"] },
];

function setup(options?: PolicyEngineOptions, list = policies) {
  const engine = createPolicyEngine(list, options);
  const input = (context: Record<string, unknown>): EvaluateInput => ({ resource: "User::email", action: "query", roles: ["user"], context });
  return { engine, input };
}

describe("explain", () => {
  it("traces every policy in file order with the reason it did or did not match", () => {
    const { engine, input } = setup();
    const explanation = engine.explain(input({ user: { id: "u1", verified: "yes" }, root: { id: "u1" } }));
    expect(explanation).toMatchObject({ allowed: true, effect: "allow", policyId: "own" });
    expect(explanation.considered).toEqual([
      { policyId: "mutations", effect: "allow", matched: false, reason: "action 'query' not in [mutation]" },
      { policyId: "other-field", effect: "allow", matched: false, reason: "resource 'User::email' not in [User::name]" },
      { policyId: "admins", effect: "allow", matched: false, reason: "roles [user] not in [admin]" },
      { policyId: "own", effect: "allow", matched: true, reason: "matched (1 condition(s) hold)" },
      { policyId: "verified", effect: "allow", matched: false, reason: "condition[0] user.verified equals: got string, expected [true]" },
      { policyId: "everyone", effect: "allow", matched: true, reason: "matched" },
    ]);
  });

  it("names the condition that cannot be evaluated and why", () => {
    const { engine, input } = setup();
    const reasons = engine.explain(input({ user: { id: "u1" }, root: {} })).considered.map((t) => t.reason);
    expect(reasons[3]).toBe("condition[0] user.id equals cannot be evaluated: root.id is missing (an allow does not match)");
    expect(reasons[4]).toBe("condition[0] user.verified equals cannot be evaluated: user.verified is missing (an allow does not match)");
    const typed = engine.explain(input({ user: { id: { nested: true }, verified: true }, root: { id: "u1" } })).considered[3]!;
    expect(typed.reason).toBe("condition[0] user.id equals cannot be evaluated: user.id is the wrong type for equals (got object) (an allow does not match)");
  });

  it("counts a deny whose condition cannot be evaluated as matched, and says so", () => {
    const list: Policy[] = [
      { id: "everyone", effect: "allow", ...base, roles: ["*"] },
      { id: "adults", effect: "deny", ...base, roles: ["*"], conditions: [{ field: "user.age", operator: "lessThan", expected: 18 }] },
    ];
    const { engine, input } = setup(undefined, list);
    const missing = engine.explain(input({ user: {} }));
    expect(missing).toMatchObject({ allowed: false, effect: "deny", policyId: "adults" });
    expect(missing.considered[1]).toEqual({
      policyId: "adults",
      effect: "deny",
      matched: true,
      reason: "matched: condition[0] user.age lessThan cannot be evaluated: user.age is missing (a deny matches: missing data never weakens a deny)",
    });
    const wrong = engine.explain(input({ user: { age: "old" } }));
    expect(wrong.considered[1]!.reason).toContain("user.age is the wrong type for lessThan (got string)");
    expect(engine.explain(input({ user: { age: 30 } }))).toMatchObject({ allowed: true, policyId: "everyone" });
  });

  it("marks a policy that reads the object as depending on it when there is no root", () => {
    const { engine, input } = setup();
    const ex = engine.explain(input({ user: { id: "u1" } }));
    expect(ex.considered[3]).toEqual({
      policyId: "own",
      effect: "allow",
      matched: false,
      reason: "condition[0] user.id equals: depends on the object (reads root.id; the context has no root)",
      dependsOnObject: true,
    });
    // "everyone" allows anyway, so the decision does not depend on the object.
    expect(ex).toMatchObject({ allowed: true, policyId: "everyone" });
    expect(ex.dependsOnObject).toBeUndefined();
  });

  it("leaves values out of traces unless explainValues is on", () => {
    const context = { user: { id: "u1", verified: "secret-ish" }, root: { id: "u2" } };
    const hidden = setup().engine.explain(setup().input(context));
    expect(JSON.stringify(hidden)).not.toContain("secret-ish");
    expect(JSON.stringify(hidden)).not.toContain("u2");
    const shown = setup({ explainValues: true });
    expect(shown.engine.explain(shown.input(context)).considered[4]!.reason).toBe(
      'condition[0] user.verified equals: got "secret-ish", expected [true]',
    );
  });

  it("agrees with evaluate, including deny and default deny", () => {
    const list: Policy[] = [...policies, { id: "no-email", effect: "deny", ...base, roles: ["*"], conditions: [{ field: "user.banned", operator: "exists" }] }];
    const { engine, input } = setup(undefined, list);
    for (const context of [{}, { user: { banned: 1 } }, { user: { id: "u1" }, root: { id: "u1" } }]) {
      const { considered, ...decision } = engine.explain(input(context));
      expect(decision).toEqual(engine.evaluate(input(context)));
      expect(considered).toHaveLength(list.length);
    }
    const miss = { resource: "Post::title", action: "query", roles: [] };
    const { considered: _c, ...decision } = engine.explain(miss);
    expect(decision).toEqual(engine.evaluate(miss));
    expect(decision.effect).toBe("default-deny");
  });

  it("reports a throwing condition as a matched deny", () => {
    const { engine, input } = setup(undefined, [{ id: "p", effect: "allow", ...base, conditions: [{ field: "user.id", operator: "exists" }] }]);
    const user = Object.defineProperty({}, "id", {
      get() {
        throw new Error("boom");
      },
    });
    const explanation = engine.explain(input({ user }));
    expect(explanation).toMatchObject({ allowed: false, effect: "deny", policyId: "p", reason: "condition error" });
    expect(explanation.considered[0]).toEqual({ policyId: "p", effect: "allow", matched: true, reason: "condition[0] user.id exists: threw (condition error, denies)" });
  });

  it("reports malformed resources without traces", () => {
    const { engine } = setup();
    expect(engine.explain({ resource: "User", action: "query", roles: [] })).toEqual({
      allowed: false,
      effect: "default-deny",
      reason: "malformed resource",
      considered: [],
    });
  });
});
