import { afterEach, describe, expect, it } from "vitest";
import { toPredicate, type Condition } from "gatehouse/filter";

const test = (where: Condition) => toPredicate({ kind: "where", where });

describe("toPredicate", () => {
  it("selects every row for all and none for none", () => {
    expect(toPredicate({ kind: "all" })({})).toBe(true);
    expect(toPredicate({ kind: "none" })({ a: 1 })).toBe(false);
  });

  it.each<[string, Condition, unknown, boolean]>([
    ["eq on a nested path", { op: "eq", field: "createdBy.id", value: "u1" }, { createdBy: { id: "u1" } }, true],
    ["eq is strict", { op: "eq", field: "n", value: 1 }, { n: "1" }, false],
    ["eq on a missing step", { op: "eq", field: "createdBy.id", value: "u1" }, { createdBy: null }, false],
    ["ne on a different value", { op: "ne", field: "n", value: 1 }, { n: 2 }, true],
    ["ne on null is false", { op: "ne", field: "n", value: 1 }, { n: null }, false],
    ["ne on missing is false", { op: "ne", field: "n", value: 1 }, {}, false],
    ["ne on an object is false", { op: "ne", field: "n", value: 1 }, { n: { v: 2 } }, false],
    ["lt numeric string", { op: "lt", field: "n", value: 3 }, { n: "2.5" }, true],
    ["lt is strict", { op: "lt", field: "n", value: 3 }, { n: 3 }, false],
    ["lt on text", { op: "lt", field: "n", value: 3 }, { n: "two" }, false],
    ["gt on boolean", { op: "gt", field: "n", value: -1 }, { n: true }, false],
    ["match glob", { op: "match", field: "tag", value: "a*c" }, { tag: "abc" }, true],
    ["match is literal but for *", { op: "match", field: "tag", value: "a.c" }, { tag: "abc" }, false],
    ["match number as text", { op: "match", field: "n", value: "4*" }, { n: 42 }, true],
    ["match on null", { op: "match", field: "tag", value: "*" }, { tag: null }, false],
    ["in", { op: "in", field: "tag", values: ["a", "b"] }, { tag: "b" }, true],
    ["in is strict", { op: "in", field: "n", values: ["1"] }, { n: 1 }, false],
    ["in on an array field is false", { op: "in", field: "tag", values: ["a"] }, { tag: ["a"] }, false],
    ["exists on null", { op: "exists", field: "tag" }, { tag: null }, false],
    ["exists on empty string", { op: "exists", field: "tag" }, { tag: "" }, true],
    ["not over missing is true", { op: "not", of: [{ op: "eq", field: "tag", value: "a" }] }, {}, true],
    ["and", { op: "and", of: [{ op: "exists", field: "a" }, { op: "exists", field: "b" }] }, { a: 1 }, false],
    ["or", { op: "or", of: [{ op: "exists", field: "a" }, { op: "exists", field: "b" }] }, { a: 1 }, true],
    ["array index path", { op: "eq", field: "tags.0", value: "x" }, { tags: ["x"] }, true],
    ["non-object row", { op: "exists", field: "a" }, null, false],
  ])("%s", (_label, where, row, expected) => {
    expect(test(where)(row)).toBe(expected);
  });
});

describe("toPredicate never reads members of built-in prototypes", () => {
  const polluted = Object.prototype as unknown as Record<string, unknown>;
  afterEach(() => {
    delete polluted.createdBy;
    delete polluted.published;
  });

  it("ignores values inherited from a polluted Object.prototype", () => {
    polluted.createdBy = { id: "u1" };
    polluted.published = true;
    expect(test({ op: "eq", field: "createdBy.id", value: "u1" })({})).toBe(false);
    expect(test({ op: "eq", field: "published", value: true })({})).toBe(false);
    expect(test({ op: "exists", field: "published" })({})).toBe(false);
    expect(test({ op: "eq", field: "published", value: true })({ published: true })).toBe(true);
  });

  it("reads members the row's own classes define, as the policy engine reads root", () => {
    class Row {
      get published() {
        return true;
      }
    }
    expect(test({ op: "exists", field: "published" })(new Row())).toBe(true);
    expect(test({ op: "eq", field: "published", value: true })(Object.create({ published: true }))).toBe(true);
  });

  it("does not read inherited members such as toString (own ones such as an array's length count)", () => {
    expect(test({ op: "exists", field: "toString" })({})).toBe(false);
    expect(test({ op: "exists", field: "length" })([])).toBe(true);
  });
});
