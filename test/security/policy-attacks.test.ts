// Attacker-controlled context values against the PBAC engine: glob
// characters taken literally, prototype keys never read, type confusion
// never satisfying a numeric condition, missing data never weakening a deny.
import { describe, expect, it } from "vitest";
import { createPolicyEngine } from "gatehouse/policy";

function setup(conditions: unknown[]) {
  const engine = createPolicyEngine([{ id: "p", effect: "allow", actions: ["query"], resources: ["Query::doc"], roles: ["*"], conditions }] as never);
  return (context: Record<string, unknown>) => engine.evaluate({ resource: "Query::doc", action: "query", roles: ["user"], context } as never).allowed;
}

describe("policy conditions under hostile input", () => {
  it("takes a context value used as the expected pattern literally ('*' is not a glob)", () => {
    const allowed = setup([{ field: "user.id", operator: "match", expectedOnContext: ["args.ownerId"] }]);
    expect(allowed({ user: { id: "joe" }, args: { ownerId: "joe" } })).toBe(true);
    for (const ownerId of ["*", "j*", "?oe", "**", "[a-z]*", ".*"]) expect(allowed({ user: { id: "joe" }, args: { ownerId } }), ownerId).toBe(false);
  });

  it("does not let a client value equal to a glob match a literal expectation", () => {
    const allowed = setup([{ field: "args.ownerId", operator: "equals", expectedOnContext: ["user.id"] }]);
    for (const ownerId of ["*", "joe*", ["joe"], { toString: "joe" }]) expect(allowed({ user: { id: "joe" }, args: { ownerId } }), JSON.stringify(ownerId)).toBe(false);
  });

  it("never reads a __proto__ smuggled in through JSON", () => {
    const allowed = setup([{ field: "args.isAdmin", operator: "equals", expected: [true] }]);
    const args = JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"isAdmin": true}}}') as Record<string, unknown>;
    expect(allowed({ user: { id: "joe" }, args })).toBe(false);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it("refuses prototype paths in a policy at load time", () => {
    for (const field of ["args.__proto__.isAdmin", "user.constructor.prototype.x", "args.prototype"]) {
      expect(() => setup([{ field, operator: "exists" }]), field).toThrow(expect.objectContaining({ code: "INVALID_POLICY" }));
    }
  });

  it.each([
    // Numeric strings ("5") count as numbers by design (src/policy/conditions.ts); these do not.
    ["an empty string (Number('') is 0)", ""],
    ["whitespace (Number(' ') is 0)", "  "],
    ["a hex string", "0x1"],
    ["-Infinity", "-Infinity"],
    ["an array", [5]],
    ["a boolean", true],
    ["null", null],
    ["a nested object", { n: 5 }],
    ["NaN-ish string", "NaN"],
  ])("never satisfies lessThan with %s", (_name, amount) => {
    const allowed = setup([{ field: "args.amount", operator: "lessThan", expected: [10] }]);
    expect(allowed({ args: { amount: 5 } })).toBe(true);
    expect(allowed({ args: { amount } })).toBe(false);
  });

  it("cannot slip past a deny by leaving data out or sending the wrong type", () => {
    const policies = [
      { id: "allow", effect: "allow", actions: ["*"], resources: ["*"], roles: ["*"] },
      { id: "cap", effect: "deny", actions: ["query"], resources: ["Query::doc"], roles: ["*"], conditions: [{ field: "args.amount", operator: "greaterThan", expected: [1000] }] },
      { id: "own", effect: "deny", actions: ["query"], resources: ["Query::doc"], roles: ["*"], conditions: [{ field: "user.id", operator: "notMatch", expectedOnContext: ["args.ownerId"] }] },
    ];
    const engine = createPolicyEngine(policies as never);
    const ask = (context: Record<string, unknown>) => engine.evaluate({ resource: "Query::doc", action: "query", roles: [], context } as never);
    expect(ask({ user: { id: "joe" }, args: { ownerId: "joe", amount: 10 } }).allowed).toBe(true);
    for (const args of [{ ownerId: "joe" }, { ownerId: "joe", amount: "lots" }, { ownerId: "joe", amount: [5000] }, { ownerId: "joe", amount: null }]) {
      expect(ask({ user: { id: "joe" }, args }), JSON.stringify(args)).toMatchObject({ allowed: false, policyId: "cap" });
    }
    for (const context of [{ args: { ownerId: "joe", amount: 10 } }, { user: { id: "joe" }, args: { amount: 10 } }, { user: { id: ["joe"] }, args: { ownerId: "joe", amount: 10 } }]) {
      expect(ask(context), JSON.stringify(context)).toMatchObject({ allowed: false, policyId: "own" });
    }
  });

  it("lets a deny win over an allow whatever order the policies come in", () => {
    const policies = [
      { id: "allow", effect: "allow", actions: ["*"], resources: ["*::*"], roles: ["*"] },
      { id: "deny", effect: "DENY", actions: ["query"], resources: ["Query::secret"], roles: ["*"] },
    ];
    for (const list of [policies, [...policies].reverse()]) {
      const engine = createPolicyEngine(list as never);
      expect(engine.evaluate({ resource: "Query::secret", action: "query", roles: ["admin"], context: {} } as never)).toMatchObject({ allowed: false, effect: "deny" });
    }
  });
});
