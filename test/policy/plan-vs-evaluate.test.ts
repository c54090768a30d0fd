// engine.plan ≡ engine.evaluate, row by row: for random policy sets, callers,
// requests and objects, the row filter compiled by toPredicate selects a row
// exactly when evaluate (with the row as `root`) allows it. A row selected
// but denied would make a deny do nothing: that is reported as a security
// failure. Rows left out although allowed are accepted only in the
// documented cases where a plan is narrower.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toPredicate } from "gatehouse/filter";
import { createPolicyEngine, POLICY_OPERATORS, type EvaluateInput, type Policy, type PolicyCondition, type PolicyOperator } from "gatehouse/policy";
import { documentedNarrowing, Entity, policies, request, row } from "./plan-arbitraries.js";

/** The first row where the plan and evaluate disagree, or null. */
function disagreement(list: Policy[], input: EvaluateInput, rows: unknown[]): string | null {
  const engine = createPolicyEngine(list);
  const filter = engine.plan(input);
  const selects = toPredicate(filter);
  const { root: _ignored, ...context } = input.context ?? {};
  for (const r of rows) {
    const allowed = engine.evaluate({ ...input, context: { ...context, root: r } }).allowed;
    const selected = selects(r);
    if (selected && !allowed) return `SECURITY FAILURE: plan selects a row evaluate denies: ${JSON.stringify({ row: r, filter })}`;
    if (!selected && allowed && !documentedNarrowing(list, input, r)) return `plan leaves out an allowed row: ${JSON.stringify({ row: r, filter })}`;
  }
  return null;
}

describe("engine.plan agrees with engine.evaluate on every row", () => {
  it("random policies, callers, requests and objects", () => {
    let where = 0;
    let allowedRows = 0;
    let rowsSeen = 0;
    fc.assert(
      fc.property(policies, request, fc.array(row, { minLength: 1, maxLength: 12 }), (list, input, rows) => {
        const engine = createPolicyEngine(list);
        if (engine.plan(input).kind === "where") where++;
        for (const r of rows) {
          rowsSeen++;
          if (engine.evaluate({ ...input, context: { ...input.context, root: r } }).allowed) allowedRows++;
        }
        expect(disagreement(list, input, rows)).toBeNull();
      }),
      { numRuns: 2000 },
    );
    // The generators reach the interesting part: filters over the object, and both outcomes.
    expect(where).toBeGreaterThan(100);
    expect(allowedRows).toBeGreaterThan(rowsSeen * 0.03);
  });

  it("a plan made without the object ignores a root in the context", () => {
    fc.assert(
      fc.property(policies, request, (list, input) => {
        const engine = createPolicyEngine(list);
        const { root: _root, ...rest } = input.context ?? {};
        expect(engine.plan(input)).toEqual(engine.plan({ ...input, context: rest }));
      }),
      { numRuns: 300 },
    );
  });
});

// Every operator, every way a condition can read the object, every value
// (scalars, odd types, null, missing) on both sides: all combinations.
const MISSING = Symbol("missing");
const VALUES: readonly unknown[] = [MISSING, null, "u1", "u*", "*", "", "1", "1.5", " 1", "1e0", "true", 0, 1, -1, 1.5, -0, true, false, Number.NaN, [], ["u1"], ["u1", 1], [null], { id: "u1" }];

function expectedSets(op: PolicyOperator): unknown[][] {
  if (op === "match" || op === "notMatch") return [["u*"], ["u1"], ["*"], [""], [1], ["1.5"], ["u1", "*1"]];
  if (op === "lessThan" || op === "greaterThan") return [[0], [1], ["1.5"], [-1, 1]];
  return [["u1"], [1], [true], [""], ["u1", 1], [-0]];
}

function gridConditions(): PolicyCondition[] {
  const out: PolicyCondition[] = [{ field: "root.x", operator: "exists" }, { field: "root.x", operator: "exists", expected: false }];
  for (const operator of POLICY_OPERATORS.filter((op) => op !== "exists")) {
    out.push({ field: "root.x", operator, expectedOnContext: ["user.v"] }, { field: "user.v", operator, expectedOnContext: ["root.x"] });
    for (const expected of expectedSets(operator)) {
      out.push(
        { field: "root.x", operator, expected },
        { field: "root.x", operator, expected, expectedOnContext: ["user.v"] },
        { field: "user.v", operator, expected, expectedOnContext: ["root.x"] },
      );
    }
  }
  return out;
}

const holding = (v: unknown, key: string) => (v === MISSING ? {} : { [key]: v });
const on = { actions: ["query"], resources: ["Post::*"], roles: ["*"] };

describe("engine.plan agrees with engine.evaluate for every single condition", () => {
  it("as an allow, and as a deny beside an allow, for every caller value and object value", () => {
    let compared = 0;
    for (const c of gridConditions()) {
      for (const effect of ["allow", "deny"] as const) {
        const list: Policy[] = effect === "allow" ? [{ id: "c", effect, ...on, conditions: [c] }] : [{ id: "all", effect: "allow", ...on }, { id: "c", effect, ...on, conditions: [c] }];
        for (const callerValue of VALUES) {
          const input: EvaluateInput = { resource: "Post::body", action: "query", roles: [], context: { user: holding(callerValue, "v") } };
          const rows = VALUES.map((v) => holding(v, "x"));
          const problem = disagreement(list, input, rows);
          if (problem) throw new Error(`${problem}\n${JSON.stringify({ condition: c, effect, user: input.context?.user })}`);
          compared += rows.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(100_000);
  });
});

describe("a plan reads a row as evaluate reads root", () => {
  const input: EvaluateInput = { resource: "Post::body", action: "query", roles: [], context: { user: { id: "u1" } } };
  const judge = (list: Policy[], r: unknown) => {
    const engine = createPolicyEngine(list);
    return { evaluate: engine.evaluate({ ...input, context: { ...input.context, root: r } }).allowed, plan: toPredicate(engine.plan(input))(r) };
  };

  it("a deny on a field that an entity class defines as a getter denies the row in the plan too", () => {
    const list: Policy[] = [
      { id: "all", effect: "allow", ...on },
      { id: "unpublished", effect: "deny", ...on, conditions: [{ field: "root.published", operator: "exists", expected: false }] },
      { id: "tagged", effect: "deny", ...on, conditions: [{ field: "root.tags", operator: "exists" }] },
    ];
    expect(judge(list, new Entity({ published: true, tags: ["x"] }))).toEqual({ evaluate: false, plan: false });
    expect(judge(list, new Entity({ published: true }))).toEqual({ evaluate: true, plan: true });
    expect(judge(list, Object.assign(Object.create({ tags: ["x"] }) as object, { published: true }))).toEqual({ evaluate: false, plan: false });
  });

  it("an allow for rows without a field does not select an entity that has it", () => {
    const list: Policy[] = [{ id: "live", effect: "allow", ...on, conditions: [{ field: "root.n", operator: "exists", expected: false }] }];
    expect(judge(list, new Entity({ n: 3 }))).toEqual({ evaluate: false, plan: false });
    expect(judge(list, new Entity({}))).toEqual({ evaluate: true, plan: true });
  });
});
