import { describe, expect, it } from "vitest";
import { createPolicyEngine, resourceMatches, validatePolicies } from "gatehouse/policy";

const ok = () => ({ id: "p", effect: "allow", actions: ["query"], resources: ["Query::posts"], roles: ["*"] });
const paths = (input: unknown) => validatePolicies(input).map((i) => i.path);

describe("validatePolicies", () => {
  it("returns [] for valid arrays and { policies } files", () => {
    expect(validatePolicies([ok()])).toEqual([]);
    expect(validatePolicies([])).toEqual([]);
    expect(validatePolicies({ $schema: "./policy.schema.json", policies: [ok()] })).toEqual([]);
    expect(validatePolicies([{ ...ok(), description: "d", conditions: [] }])).toEqual([]);
  });

  it("rejects files that are neither an array nor { policies }", () => {
    for (const input of [undefined, null, "[]", 1, {}, { policies: {} }]) {
      expect(paths(input)).toEqual(["policies"]);
    }
  });

  it("reports unknown keys of the file wrapper", () => {
    expect(validatePolicies({ policies: [], version: 2, $schema: 1 })).toEqual([
      expect.objectContaining({ path: "version" }),
      expect.objectContaining({ path: "$schema" }),
    ]);
  });

  it("lists every issue of every policy with JSON paths", () => {
    const issues = validatePolicies([
      ok(),
      { id: "", effect: "Permit", actions: [], resources: ["User"], roles: "admin", extra: true },
      { ...ok(), id: "p", conditions: {} },
      "not a policy",
    ]);
    expect(issues.map((i) => i.path)).toEqual([
      "policies[1].extra",
      "policies[1].id",
      "policies[1].effect",
      "policies[1].actions",
      "policies[1].resources[0]",
      "policies[1].roles",
      "policies[2].id",
      "policies[2].conditions",
      "policies[3]",
    ]);
    expect(issues.find((i) => i.path === "policies[2].id")?.message).toMatch(/duplicate id "p" \(first used at policies\[0\]\)/);
    expect(issues.find((i) => i.path === "policies[1].effect")?.message).toMatch(/"allow" or "deny"/);
  });

  it.each([
    ["no ::", "Query"],
    ["empty type", "::posts"],
    ["empty field", "Query::"],
    ["two ::", "A::B::C"],
    ["triple colon", "A:::B"],
    ["bare **", "**"],
    ["* with a field", "*::"],
  ])("rejects a malformed resource (%s)", (_label, resource) => {
    expect(paths([{ ...ok(), resources: [resource] }])).toEqual(["policies[0].resources[0]"]);
  });

  it("rejects non-string and empty entries in actions, resources and roles", () => {
    expect(paths([{ ...ok(), actions: ["query", 1], resources: [""], roles: [null] }])).toEqual([
      "policies[0].actions[1]",
      "policies[0].resources[0]",
      "policies[0].roles[0]",
    ]);
  });

  it("reports holes in sparse arrays instead of skipping them", () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [, { ...ok(), id: "q", actions: ["query", , "mutation"], conditions: [, { field: "user.id", operator: "exists" }] }];
    expect(paths(sparse)).toEqual(["policies[0]", "policies[1].actions[1]", "policies[1].conditions[0]"]);
    expect(() => validatePolicies(sparse)).not.toThrow();
  });

  it("rejects missing or non-array required fields", () => {
    expect(paths([{ id: "p", effect: "deny" }])).toEqual(["policies[0].actions", "policies[0].resources", "policies[0].roles"]);
    expect(paths([{ ...ok(), description: 5 }])).toEqual(["policies[0].description"]);
  });

  it("accepts wahn's '*' alone as every resource and keeps wahn's denyType", () => {
    const policies = [{ ...ok(), resources: ["*"], denyType: "hidden" }];
    expect(validatePolicies(policies)).toEqual([]);
    const engine = createPolicyEngine(policies);
    expect(engine.policies[0]).toMatchObject({ resources: ["*"], denyType: "hidden" });
    expect(engine.evaluate({ resource: "Anything::atAll", action: "query", roles: [] })).toMatchObject({ allowed: true, policyId: "p" });
    expect(engine.evaluate({ resource: "Query::posts", action: "mutation", roles: [] }).allowed).toBe(false);
    expect(engine.resourcesMatching(["User::email"])).toEqual(["User::email"]);
    expect(resourceMatches("*", "User::email")).toBe(true);
    expect(paths([{ ...ok(), denyType: 3 }])).toEqual(["policies[0].denyType"]);
  });

  describe("conditions", () => {
    const withCondition = (condition: unknown) => paths([{ ...ok(), conditions: [condition] }]);

    it("accepts every operator in its valid form", () => {
      const conditions = [
        { field: "user.id", operator: "match", expected: "u*" },
        { field: "user.id", operator: "notMatch", expected: ["a", 1] },
        { field: "user.id", operator: "equals", expected: [true, 1, "a"] },
        { field: "user.id", operator: "notEquals", expectedOnContext: ["args.id"] },
        { field: "user.id", operator: "in", expected: ["a"] },
        { field: "user.id", operator: "notIn", expected: "a" },
        { field: "args.n", operator: "lessThan", expected: [1, "2.5"] },
        { field: "args.n", operator: "greaterThan", expectedOnContext: ["user.min"] },
        { field: "user.id", operator: "exists" },
        { field: "user.id", operator: "exists", expected: false },
      ];
      expect(validatePolicies([{ ...ok(), conditions }])).toEqual([]);
    });

    it("rejects unknown operators and keys", () => {
      expect(withCondition({ field: "user.id", operator: "like", expected: "a" })).toEqual(["policies[0].conditions[0].operator"]);
      expect(withCondition({ field: "user.id", operator: "equals", expected: "a", value: "x" })).toEqual(["policies[0].conditions[0].value"]);
      expect(withCondition("user.id == 1")).toEqual(["policies[0].conditions[0]"]);
    });

    it("requires condition paths to start at user, identity, request, args or root", () => {
      for (const start of ["user", "identity", "request", "args", "root"]) {
        expect(withCondition({ field: `${start}.x`, operator: "equals", expectedOnContext: [`${start}.y`] })).toEqual([]);
      }
      expect(withCondition({ field: "usr.id", operator: "exists" })).toEqual(["policies[0].conditions[0].field"]);
      expect(withCondition({ field: "user.id", operator: "equals", expectedOnContext: ["root.id", "Root.id"] })).toEqual([
        "policies[0].conditions[0].expectedOnContext[1]",
      ]);
      expect(() => createPolicyEngine([{ ...ok(), conditions: [{ field: "usr.id", operator: "exists" }] }])).toThrow(
        expect.objectContaining({
          code: "INVALID_POLICY",
          issues: [{ path: "policies[0].conditions[0].field", message: expect.stringContaining("starts at 'usr'") }],
        }),
      );
    });

    it("rejects bad fields, including prototype paths", () => {
      for (const field of ["", "user..id", "user.__proto__.x", "constructor", "root.prototype", 7]) {
        expect(withCondition({ field, operator: "exists" })).toEqual(["policies[0].conditions[0].field"]);
      }
    });

    it("rejects expected values that do not fit the operator", () => {
      expect(withCondition({ field: "args.b", operator: "lessThan", expected: ["ten", 3] })).toEqual(["policies[0].conditions[0].expected[0]"]);
      expect(withCondition({ field: "args.b", operator: "match", expected: true })).toEqual(["policies[0].conditions[0].expected"]);
      expect(withCondition({ field: "args.b", operator: "equals", expected: [{ id: 1 }] })).toEqual(["policies[0].conditions[0].expected[0]"]);
      expect(withCondition({ field: "args.b", operator: "notIn", expected: ["a", null] })).toEqual(["policies[0].conditions[0].expected[1]"]);
      expect(withCondition({ field: "args.b", operator: "exists", expected: "yes" })).toEqual(["policies[0].conditions[0].expected"]);
      expect(withCondition({ field: "args.b", operator: "exists", expected: [true, false] })).toEqual(["policies[0].conditions[0].expected"]);
    });

    it("requires an expected value for every operator but exists", () => {
      expect(withCondition({ field: "args.b", operator: "equals" })).toEqual(["policies[0].conditions[0]"]);
      expect(withCondition({ field: "args.b", operator: "in", expected: [] })).toEqual(["policies[0].conditions[0]"]);
    });

    it("rejects bad expectedOnContext", () => {
      expect(withCondition({ field: "args.b", operator: "equals", expectedOnContext: "user.id" })).toEqual([
        "policies[0].conditions[0].expectedOnContext",
        "policies[0].conditions[0]",
      ]);
      expect(withCondition({ field: "args.b", operator: "equals", expectedOnContext: ["user.__proto__", 3] })).toEqual([
        "policies[0].conditions[0].expectedOnContext[0]",
        "policies[0].conditions[0].expectedOnContext[1]",
      ]);
      expect(withCondition({ field: "args.b", operator: "exists", expectedOnContext: ["user.id"] })).toEqual([
        "policies[0].conditions[0].expectedOnContext",
      ]);
    });
  });
});
