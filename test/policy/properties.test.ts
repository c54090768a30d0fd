import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPolicyEngine, type EvaluateInput, type Policy, type PolicyCondition } from "gatehouse/policy";

// Small alphabets so that random policies and requests often overlap.
const TYPES = ["A", "B", "*", "A*"];
const FIELDS = ["x", "y", "*", "x*"];
const ACTIONS = ["q", "m", "*", "s*"];
const ROLES = ["r1", "r2", "*", "r*"];

const nonEmpty = <T>(items: T[]) => fc.subarray(items, { minLength: 1 });

const condition: fc.Arbitrary<PolicyCondition> = fc.oneof(
  fc.record({ field: fc.constant("user.n"), operator: fc.constantFrom("lessThan", "greaterThan", "equals", "notEquals" as const), expected: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ field: fc.constant("user.n"), operator: fc.constant("exists" as const), expected: fc.boolean() }),
  fc.record({ field: fc.constant("user.tag"), operator: fc.constantFrom("match", "notMatch" as const), expected: fc.constantFrom("a*", "ab", "*") }),
  fc.record({ field: fc.constant("user.tag"), operator: fc.constantFrom("match", "in" as const), expectedOnContext: fc.constant(["args.tag"] as string[]) }),
  // Conditions on the object (root), alone or compared with the caller.
  fc.record({ field: fc.constant("user.tag"), operator: fc.constantFrom("match", "notMatch", "equals", "notEquals" as const), expectedOnContext: fc.constant(["root.owner"] as string[]) }),
  fc.record({ field: fc.constant("root.n"), operator: fc.constantFrom("lessThan", "greaterThan", "notEquals" as const), expected: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ field: fc.constant("root.owner"), operator: fc.constant("exists" as const), expected: fc.boolean() }),
);

/** Odd values: wrong types for most operators. */
const odd = fc.constantFrom(null, true, { x: 1 }, ["a"], "", "1.5");

const policyBody = fc.record({
  effect: fc.constantFrom("allow", "deny", "Allow", "Deny"),
  actions: nonEmpty(ACTIONS),
  resources: fc.array(fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...FIELDS)).map(([t, f]) => `${t}::${f}`), { minLength: 1, maxLength: 3 }),
  roles: nonEmpty(ROLES),
  conditions: fc.option(fc.array(condition, { maxLength: 2 }), { nil: undefined }),
});

const withIds = (bodies: Array<Omit<Policy, "id">>, prefix = "p"): Policy[] =>
  bodies.map((b, i) => {
    const p: Policy = { id: `${prefix}${i}`, ...b };
    if (p.conditions === undefined) delete p.conditions;
    return p;
  });

const policies = fc.array(policyBody, { maxLength: 12 }).map((b) => withIds(b));

const request: fc.Arbitrary<EvaluateInput> = fc.record({
  action: fc.constantFrom("q", "m", "s1"),
  resource: fc.tuple(fc.constantFrom("A", "B", "Ax"), fc.constantFrom("x", "y", "xy")).map(([t, f]) => `${t}::${f}`),
  roles: fc.subarray(["r1", "r2", "r3"]),
  context: fc.record(
    {
      user: fc.record({ n: fc.oneof(fc.integer({ min: 0, max: 5 }), odd), tag: fc.oneof(fc.constantFrom("a", "ab", "b", "*"), odd) }, { requiredKeys: [] }),
      args: fc.record({ tag: fc.constantFrom("a", "*") }, { requiredKeys: [] }),
      root: fc.record({ owner: fc.oneof(fc.constantFrom("a", "ab"), odd), n: fc.oneof(fc.integer({ min: 0, max: 5 }), odd) }, { requiredKeys: [] }),
    },
    { requiredKeys: ["user", "args"] },
  ),
});

const objects = fc.record({ owner: fc.oneof(fc.constantFrom("a", "ab", "b"), odd), n: fc.oneof(fc.integer({ min: 0, max: 5 }), odd) }, { requiredKeys: [] });

const hasExists = (list: Policy[]) => list.some((p) => p.conditions?.some((c) => c.operator === "exists"));

/** A policy that cannot apply to any generated request: other action, type or role. */
const unrelated: fc.Arbitrary<Omit<Policy, "id">> = fc
  .tuple(policyBody, fc.constantFrom("action", "resource", "role"))
  .map(([body, kind]) => {
    if (kind === "action") return { ...body, actions: ["never"] };
    if (kind === "resource") return { ...body, resources: ["Unrelated::*", "*::nothing"] };
    return { ...body, roles: ["ghost"] };
  });

describe("policy engine properties", () => {
  it("adding an unrelated policy never changes a decision", () => {
    fc.assert(
      fc.property(policies, unrelated, fc.nat(), request, (list, extra, at, input) => {
        const before = createPolicyEngine(list).evaluate(input);
        const position = list.length === 0 ? 0 : at % (list.length + 1);
        const withExtra = [...list.slice(0, position), { id: "extra", ...extra }, ...list.slice(position)];
        expect(createPolicyEngine(withExtra).evaluate(input)).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it("adding a matching deny always denies", () => {
    fc.assert(
      fc.property(policies, request, fc.constantFrom("exact", "Type::*", "*::field", "*::*"), fc.boolean(), fc.nat(), (list, input, form, anyAction, at) => {
        const [type, field] = input.resource.split("::") as [string, string];
        const resource = { exact: input.resource, "Type::*": `${type}::*`, "*::field": `*::${field}`, "*::*": "*::*" }[form];
        const roles = input.roles.length > 0 && at % 2 === 0 ? [input.roles[0]!] : ["*"];
        const blocker: Policy = { id: "blocker", effect: "Deny", actions: [anyAction ? "*" : input.action], resources: [resource], roles };
        const position = list.length === 0 ? 0 : at % (list.length + 1);
        const engine = createPolicyEngine([...list.slice(0, position), blocker, ...list.slice(position)]);
        const decision = engine.evaluate(input);
        expect(decision.allowed).toBe(false);
        expect(decision.effect).toBe("deny");
      }),
      { numRuns: 300 },
    );
  });

  it("evaluate (indexed) and explain (full scan) always agree", () => {
    fc.assert(
      fc.property(policies, request, (list, input) => {
        const engine = createPolicyEngine(list);
        const { considered, ...decision } = engine.explain(input);
        expect(decision).toEqual(engine.evaluate(input));
        expect(considered).toHaveLength(list.length);
        expect(decision.allowed).toBe(decision.effect === "allow");
      }),
      { numRuns: 500 },
    );
  });

  it("removing data from the context never turns a denial into an allow (exists aside)", () => {
    fc.assert(
      fc.property(policies, request, fc.constantFrom("user.n", "user.tag", "args.tag", "root.owner", "root.n", "root"), (list, input, drop) => {
        fc.pre(!hasExists(list));
        const engine = createPolicyEngine(list);
        const context = structuredClone(input.context) as Record<string, Record<string, unknown>>;
        const [head, key] = drop.split(".") as [string, string | undefined];
        if (key === undefined) delete context[head];
        else if (context[head]) delete context[head][key];
        if (!engine.evaluate(input).allowed) expect(engine.evaluate({ ...input, context }).allowed).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("without root, a decision that does not depend on the object holds for every object", () => {
    fc.assert(
      fc.property(policies, request, fc.array(objects, { minLength: 1, maxLength: 5 }), (list, input, roots) => {
        const engine = createPolicyEngine(list);
        const { root: _root, ...rest } = input.context as Record<string, unknown>;
        const decision = engine.evaluate({ ...input, context: rest });
        if (decision.dependsOnObject) {
          expect(decision.allowed).toBe(false);
          return;
        }
        for (const root of roots) expect(engine.evaluate({ ...input, context: { ...rest, root } }).allowed).toBe(decision.allowed);
      }),
      { numRuns: 500 },
    );
  });

  it("never allows when only deny policies exist", () => {
    fc.assert(
      fc.property(policies, request, (list, input) => {
        const denyOnly = list.filter((p) => p.effect.toLowerCase() === "deny");
        expect(createPolicyEngine(denyOnly).evaluate(input).allowed).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
