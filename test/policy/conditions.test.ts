import { describe, expect, it } from "vitest";
import { createPolicyEngine, type PolicyCondition } from "gatehouse/policy";

/** Builds a one-policy engine around a condition and reports whether it holds. */
function setup(condition: PolicyCondition) {
  const engine = createPolicyEngine([
    { id: "p", effect: "allow", actions: ["query"], resources: ["Query::posts"], roles: ["*"], conditions: [condition] },
  ]);
  return (context: Record<string, unknown>) => engine.evaluate({ resource: "Query::posts", action: "query", roles: [], context }).allowed;
}

type Row = [label: string, condition: PolicyCondition, context: Record<string, unknown>, holds: boolean];
const c = (operator: PolicyCondition["operator"], expected?: unknown, field = "user.v"): PolicyCondition =>
  expected === undefined ? { field, operator } : { field, operator, expected };
const v = (value: unknown) => ({ user: { v: value } });

const rows: Row[] = [
  // match: glob or equality on text; alternatives = any
  ["match equal", c("match", "abc"), v("abc"), true],
  ["match glob", c("match", "10.0.*"), v("10.0.3.4"), true],
  ["match glob miss", c("match", "10.0.*"), v("192.168.0.1"), false],
  ["match any alternative", c("match", ["x", "a*"]), v("abc"), true],
  ["match is case-sensitive", c("match", "ABC"), v("abc"), false],
  ["match regex chars are literal", c("match", "a.c"), v("abc"), false],
  ["match regex chars literal hit", c("match", "a.c*"), v("a.c(d)"), true],
  ["match number field as text", c("match", "42"), v(42), true],
  ["match number expected", c("match", 42), v("42"), true],
  ["match boolean field as text", c("match", "true"), v(true), true],
  ["match null field", c("match", "*"), v(null), false],
  ["match array field is not comparable", c("match", "*"), v(["a"]), false],
  ["match object field", c("match", "*"), v({}), false],
  ["match missing field", c("match", "*"), {}, false],
  // notMatch: none matches
  ["notMatch none", c("notMatch", ["a", "b*"]), v("c"), true],
  ["notMatch one hits", c("notMatch", ["a", "b*"]), v("bob"), false],
  ["notMatch missing field", c("notMatch", "a"), {}, false],
  ["notMatch null field", c("notMatch", "a"), v(null), false],
  ["notMatch array field", c("notMatch", "a"), v(["b"]), false],
  // equals: strict
  ["equals string", c("equals", "a"), v("a"), true],
  ["equals number vs string is strict", c("equals", "1"), v(1), false],
  ["equals number", c("equals", 1), v(1), true],
  ["equals boolean", c("equals", true), v(true), true],
  ["equals null field (cannot be evaluated)", c("equals", "a"), v(null), false],
  ["notEquals null field (cannot be evaluated)", c("notEquals", "a"), v(null), false],
  ["in null field", c("in", ["a"]), v(null), false],
  ["notIn null field", c("notIn", ["a"]), v(null), false],
  ["notIn null element", c("notIn", ["a"]), v([null]), true],
  ["equals NaN field", c("equals", 1), v(Number.NaN), false],
  ["notEquals Infinity field", c("notEquals", 1), v(Infinity), false],
  ["equals any alternative", c("equals", ["a", "b"]), v("b"), true],
  ["equals glob is literal", c("equals", "a*"), v("abc"), false],
  ["equals array field", c("equals", "a"), v(["a"]), false],
  // notEquals
  ["notEquals differs", c("notEquals", "a"), v("b"), true],
  ["notEquals same", c("notEquals", ["a", "b"]), v("b"), false],
  ["notEquals strict types", c("notEquals", "1"), v(1), true],
  ["notEquals missing", c("notEquals", "a"), {}, false],
  ["notEquals object field", c("notEquals", "a"), v({ a: 1 }), false],
  // in / notIn: scalar or any element of an array
  ["in scalar", c("in", ["admin", "editor"]), v("editor"), true],
  ["in scalar miss", c("in", ["admin", "editor"]), v("viewer"), false],
  ["in array any element", c("in", ["admin"]), v(["viewer", "admin"]), true],
  ["in array no element", c("in", ["admin"]), v(["viewer"]), false],
  ["in empty array", c("in", ["admin"]), v([]), false],
  ["in missing", c("in", ["admin"]), {}, false],
  ["notIn scalar", c("notIn", ["banned"]), v("ok"), true],
  ["notIn scalar hit", c("notIn", ["banned"]), v("banned"), false],
  ["notIn array", c("notIn", ["banned"]), v(["a", "b"]), true],
  ["notIn array hit", c("notIn", ["banned"]), v(["a", "banned"]), false],
  ["notIn empty array", c("notIn", ["banned"]), v([]), true],
  ["notIn object", c("notIn", ["banned"]), v({}), false],
  ["notIn missing", c("notIn", ["banned"]), {}, false],
  // lessThan / greaterThan: strict, numeric
  ["lessThan", c("lessThan", 10), v(9), true],
  ["lessThan is strict", c("lessThan", 10), v(10), false],
  ["lessThan numeric string field", c("lessThan", 10), v("9.5"), true],
  ["lessThan numeric string expected", c("lessThan", "10"), v(3), true],
  ["lessThan non-numeric string", c("lessThan", 10), v("nine"), false],
  ["lessThan empty string", c("lessThan", 10), v(""), false],
  ["lessThan null", c("lessThan", 10), v(null), false],
  ["lessThan boolean", c("lessThan", 10), v(false), false],
  ["lessThan NaN", c("lessThan", 10), v(Number.NaN), false],
  ["lessThan Infinity", c("lessThan", 10), v(-Infinity), false],
  ["lessThan array", c("lessThan", 10), v([1]), false],
  ["lessThan missing", c("lessThan", 10), {}, false],
  ["lessThan any alternative", c("lessThan", [1, 100]), v(50), true],
  ["greaterThan", c("greaterThan", 100), v(101), true],
  ["greaterThan is strict", c("greaterThan", 100), v(100), false],
  ["greaterThan negative", c("greaterThan", -1), v("-0.5"), true],
  ["greaterThan exponent string", c("greaterThan", 100), v("1e3"), true],
  ["greaterThan missing", c("greaterThan", 0), {}, false],
  // exists
  ["exists default true", c("exists"), v("x"), true],
  ["exists on empty string", c("exists", true), v(""), true],
  ["exists on null", c("exists", true), v(null), false],
  ["exists missing", c("exists", true), {}, false],
  ["exists false on missing", c("exists", false), {}, true],
  ["exists false on null", c("exists", false), v(null), true],
  ["exists false on present", c("exists", false), v(0), false],
];

describe("condition operators", () => {
  it.each(rows)("%s", (_label, condition, context, holds) => {
    expect(setup(condition)(context)).toBe(holds);
  });
});

describe("context sources", () => {
  it.each(["user", "args", "root", "request", "identity"])("reads %s.* paths", (source) => {
    const holds = setup({ field: `${source}.a.b`, operator: "equals", expected: "x" });
    expect(holds({ [source]: { a: { b: "x" } } })).toBe(true);
    expect(holds({ [source]: { a: { b: "y" } } })).toBe(false);
    expect(holds({ [source]: { a: "x" } })).toBe(false);
  });

  it("reads array elements by index", () => {
    expect(setup({ field: "user.roles.0", operator: "equals", expected: "admin" })({ user: { roles: ["admin"] } })).toBe(true);
  });

  it("reads getters defined by the caller's own classes", () => {
    class User {
      constructor(private readonly raw: string) {}
      get id(): string {
        return this.raw;
      }
    }
    expect(setup({ field: "user.id", operator: "equals", expected: "u1" })({ user: new User("u1") })).toBe(true);
  });

  it("works without any context", () => {
    const engine = createPolicyEngine([
      { id: "p", effect: "allow", actions: ["q"], resources: ["A::b"], roles: ["*"], conditions: [{ field: "user.id", operator: "exists", expected: false }] },
    ]);
    expect(engine.evaluate({ resource: "A::b", action: "q", roles: [] }).allowed).toBe(true);
  });
});

describe("expectedOnContext", () => {
  it("compares with a value read from the context", () => {
    const holds = setup({ field: "user.id", operator: "match", expectedOnContext: ["args.id"] });
    expect(holds({ user: { id: "u1" }, args: { id: "u1" } })).toBe(true);
    expect(holds({ user: { id: "u1" }, args: { id: "u2" } })).toBe(false);
  });

  it("compares literally: a context value '*' is not a glob", () => {
    const holds = setup({ field: "user.id", operator: "match", expectedOnContext: ["args.id"] });
    expect(holds({ user: { id: "u1" }, args: { id: "*" } })).toBe(false);
    expect(holds({ user: { id: "u*" }, args: { id: "u*" } })).toBe(true);
    const negative = setup({ field: "user.id", operator: "notMatch", expectedOnContext: ["args.id"] });
    expect(negative({ user: { id: "u1" }, args: { id: "*" } })).toBe(true);
  });

  it("does not hold when an expectedOnContext path is missing", () => {
    const holds = setup({ field: "user.id", operator: "notMatch", expectedOnContext: ["root.ownerId"] });
    expect(holds({ user: { id: "u1" } })).toBe(false);
    expect(holds({ user: { id: "u1" }, root: { ownerId: "u2" } })).toBe(true);
  });

  it("combines with expected values as alternatives", () => {
    const holds = setup({ field: "user.id", operator: "equals", expected: ["admin"], expectedOnContext: ["root.ownerId"] });
    expect(holds({ user: { id: "admin" }, root: { ownerId: "u2" } })).toBe(true);
    expect(holds({ user: { id: "u2" }, root: { ownerId: "u2" } })).toBe(true);
    expect(holds({ user: { id: "u3" }, root: { ownerId: "u2" } })).toBe(false);
  });

  it("works for numeric operators and in", () => {
    expect(setup({ field: "args.limit", operator: "lessThan", expectedOnContext: ["user.maxLimit"] })({ args: { limit: 5 }, user: { maxLimit: "10" } })).toBe(true);
    expect(setup({ field: "user.groups", operator: "in", expectedOnContext: ["root.groupId"] })({ user: { groups: ["g1", "g2"] }, root: { groupId: "g2" } })).toBe(true);
  });
});

describe("every condition must hold", () => {
  it("ANDs conditions", () => {
    const engine = createPolicyEngine([
      {
        id: "p",
        effect: "allow",
        actions: ["query"],
        resources: ["Query::posts"],
        roles: ["*"],
        conditions: [
          { field: "user.id", operator: "exists" },
          { field: "args.limit", operator: "lessThan", expected: 50 },
        ],
      },
    ]);
    const ask = (context: Record<string, unknown>) => engine.evaluate({ resource: "Query::posts", action: "query", roles: [], context }).allowed;
    expect(ask({ user: { id: "u" }, args: { limit: 10 } })).toBe(true);
    expect(ask({ user: { id: "u" }, args: { limit: 60 } })).toBe(false);
    expect(ask({ args: { limit: 10 } })).toBe(false);
  });
});
