import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allOf, anyOf, toPredicate, toSql, type Condition, type Filter } from "gatehouse/filter";
import { databases, insertRows, type TestDb } from "./db.js";

const where = (c: Condition): Filter => ({ kind: "where", where: c });
const columns = { "createdBy.id": "created_by", published: "published", n: "n", tag: "tag" };

describe("toSql", () => {
  it("renders all and none as constants", () => {
    expect(toSql({ kind: "all" }, { columns })).toEqual({ text: "TRUE", values: [] });
    expect(toSql({ kind: "none" }, { columns })).toEqual({ text: "FALSE", values: [] });
  });

  it("quotes identifiers from the column map and sends every value as a typed parameter", () => {
    expect(toSql(where({ op: "eq", field: "createdBy.id", value: "u1" }), { columns })).toEqual({
      text: `COALESCE("created_by" = $1::text, FALSE)`,
      values: ["u1"],
    });
    const evil = toSql(where({ op: "eq", field: "x", value: "'; DROP TABLE t; --" }), { columns: { x: 'we"ird' } });
    expect(evil).toEqual({ text: `COALESCE("we""ird" = $1::text, FALSE)`, values: ["'; DROP TABLE t; --"] });
    expect(toSql(where({ op: "eq", field: "x", value: 1 }), { columns: { x: "r.n" } }).text).toBe(`COALESCE("r"."n" = $1::numeric, FALSE)`);
  });

  it("numbers parameters after the ones the query already uses", () => {
    const f = where({ op: "and", of: [{ op: "eq", field: "published", value: true }, { op: "in", field: "tag", values: ["a", "b"] }] });
    expect(toSql(f, { columns, params: 2 })).toEqual({
      text: `(COALESCE("published" = $3::boolean, FALSE) AND COALESCE("tag" IN ($4::text, $5::text), FALSE))`,
      values: [true, "a", "b"],
    });
  });

  it("turns a glob into a LIKE pattern with %, _ and backslash literal", () => {
    expect(toSql(where({ op: "match", field: "tag", value: "a*_%\\" }), { columns })).toEqual({
      text: `COALESCE("tag" LIKE $1::text ESCAPE '\\', FALSE)`,
      values: ["a%\\_\\%\\\\"],
    });
  });

  it("throws a TypeError for an unmapped field instead of widening", () => {
    expect(() => toSql(where({ op: "eq", field: "owner", value: "u1" }), { columns })).toThrow(TypeError);
    expect(() => toSql(where({ op: "not", of: [{ op: "exists", field: "secret" }] }), { columns })).toThrow(/no column for field 'secret'/);
    // An inherited column name does not count.
    expect(() => toSql(where({ op: "exists", field: "toString" }), { columns })).toThrow(TypeError);
  });

  it.each([
    ["unknown op", { kind: "where", where: { op: "like", field: "tag", value: "a" } }],
    ["unknown kind", { kind: "some" }],
    ["not without one condition", { kind: "where", where: { op: "not", of: [] } }],
    ["object value", { kind: "where", where: { op: "eq", field: "tag", value: { a: 1 } } }],
    ["null value", { kind: "where", where: { op: "eq", field: "tag", value: null } }],
    ["NaN bound", { kind: "where", where: { op: "lt", field: "n", value: Number.NaN } }],
    ["string bound", { kind: "where", where: { op: "gt", field: "n", value: "5" } }],
    ["non-string glob", { kind: "where", where: { op: "match", field: "tag", value: 5 } }],
    ["in without an array", { kind: "where", where: { op: "in", field: "tag", values: "a" } }],
    ["prototype path", { kind: "where", where: { op: "exists", field: "a.__proto__" } }],
    ["empty path segment", { kind: "where", where: { op: "exists", field: "a..b" } }],
    ["not an object", null],
  ])("rejects a malformed filter (%s) in toSql and toPredicate", (_label, filter) => {
    expect(() => toSql(filter as Filter, { columns: { ...columns, a: "a", "a.__proto__": "x", "a..b": "y" } })).toThrow(TypeError);
    expect(() => toPredicate(filter as Filter)).toThrow(TypeError);
  });

  it("rejects bad options", () => {
    expect(() => toSql({ kind: "all" }, undefined as never)).toThrow(TypeError);
    expect(() => toSql({ kind: "all" }, { columns, params: -1 })).toThrow(TypeError);
    expect(() => toSql(where({ op: "exists", field: "tag" }), { columns: { tag: "" } })).toThrow(TypeError);
  });
});

describe("allOf / anyOf", () => {
  it("combine filters and fold all / none", () => {
    const published = where({ op: "eq", field: "published", value: true });
    const mine = where({ op: "eq", field: "createdBy.id", value: "u1" });
    expect(anyOf(published, { kind: "none" })).toEqual(published);
    expect(anyOf(published, { kind: "all" })).toEqual({ kind: "all" });
    expect(allOf(published, { kind: "none" })).toEqual({ kind: "none" });
    expect(allOf()).toEqual({ kind: "all" });
    expect(anyOf()).toEqual({ kind: "none" });
    expect(anyOf(published, mine)).toEqual(
      where({ op: "or", of: [{ op: "eq", field: "published", value: true }, { op: "eq", field: "createdBy.id", value: "u1" }] }),
    );
    expect(allOf(published, mine, { kind: "all" })).toEqual(
      where({ op: "and", of: [{ op: "eq", field: "published", value: true }, { op: "eq", field: "createdBy.id", value: "u1" }] }),
    );
  });
});

// Rows with NULLs in every column, to check that toSql never lets SQL NULL
// logic differ from toPredicate (NOT over a NULL comparison).
const VALUES = {
  created_by: ["u1", "u2", null],
  published: [true, false, null],
  n: [-1, 0, 3, null],
  tag: ["a", "ab", "a_b", "a%b", "x\\y", null],
};

function allRows() {
  const rows: Array<{ id: number; created_by: string | null; published: boolean | null; n: number | null; tag: string | null }> = [];
  let id = 0;
  for (const created_by of VALUES.created_by)
    for (const published of VALUES.published)
      for (const n of VALUES.n) for (const tag of VALUES.tag) rows.push({ id: id++, created_by, published, n, tag });
  return rows;
}

const asObject = (r: ReturnType<typeof allRows>[number]) => ({
  createdBy: r.created_by === null ? null : { id: r.created_by },
  published: r.published,
  n: r.n,
  tag: r.tag,
});

const leaves: Condition[] = [
  { op: "eq", field: "createdBy.id", value: "u1" },
  { op: "ne", field: "createdBy.id", value: "u1" },
  { op: "eq", field: "published", value: true },
  { op: "ne", field: "published", value: true },
  { op: "lt", field: "n", value: 1 },
  { op: "gt", field: "n", value: -1 },
  { op: "in", field: "tag", values: ["a", "a_b"] },
  { op: "in", field: "n", values: [] },
  { op: "match", field: "tag", value: "a*" },
  { op: "match", field: "tag", value: "a_b" },
  { op: "match", field: "tag", value: "a%b" },
  { op: "match", field: "tag", value: "x\\y" },
  { op: "exists", field: "tag" },
];

for (const backend of databases()) {
  describe(`toSql and toPredicate select the same rows [${backend.name}]`, () => {
    let db: TestDb;
    const rows = allRows();
    beforeAll(async () => {
      db = await backend.open();
      await db.query("CREATE TABLE r (id int PRIMARY KEY, created_by text, published boolean, n int, tag text)");
      await insertRows(db, "r", ["id", "created_by", "published", "n", "tag"], rows.map((r) => [r.id, r.created_by, r.published, r.n, r.tag]));
    });
    afterAll(async () => db?.close());

    const selectIds = async (filter: Filter) => {
      const { text, values } = toSql(filter, { columns, params: 0 });
      return (await db.query(`SELECT id FROM r WHERE ${text} ORDER BY id`, values)).map((r) => r.id as number);
    };
    const predicateIds = (filter: Filter) => rows.filter((r) => toPredicate(filter)(asObject(r))).map((r) => r.id);

    it("for every leaf, its negation, and pairs under and / or / not", async () => {
      const filters: Filter[] = [];
      for (const a of leaves) {
        filters.push(where(a), where({ op: "not", of: [a] }));
        for (const b of leaves) {
          filters.push(where({ op: "not", of: [{ op: "and", of: [a, b] }] }), where({ op: "or", of: [a, { op: "not", of: [b] }] }));
        }
      }
      filters.push(where({ op: "and", of: [] }), where({ op: "or", of: [] }), where({ op: "not", of: [{ op: "or", of: [] }] }));
      for (const f of filters) expect(await selectIds(f), JSON.stringify(f)).toEqual(predicateIds(f));
    });

    it("a value of the wrong kind for its column is a database error, never a wider match", async () => {
      await expect(selectIds(where({ op: "eq", field: "n", value: "3" }))).rejects.toThrow();
      await expect(selectIds(where({ op: "eq", field: "published", value: "true" }))).rejects.toThrow();
      await expect(selectIds(where({ op: "match", field: "n", value: "3" }))).rejects.toThrow();
    });
  });
}
