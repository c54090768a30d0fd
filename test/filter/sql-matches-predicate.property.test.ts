// toSql and toPredicate select the same rows for arbitrary filters: nested
// and/or/not over every operator, on rows with NULL or missing values and on
// strings holding LIKE's own wildcards. Complements the seeded differential,
// whose filters come from permissions and policies.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPredicate, toSql, type Condition, type Filter } from "gatehouse/filter";
import { databases, type TestDb } from "./db.js";

const COLUMNS = { "createdBy.id": "created_by", published: "published", n: "n", tag: "tag" };
const TEXTS = ["u1", "u2", "U1", "", "%", "_", "a_b", "a%b", "a\\b", "a*b", "é"];

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ op: fc.constantFrom("eq" as const, "ne" as const), field: fc.constantFrom("createdBy.id", "tag"), value: fc.constantFrom(...TEXTS) }),
  fc.record({ op: fc.constantFrom("eq" as const, "ne" as const), field: fc.constant("published"), value: fc.boolean() }),
  fc.record({ op: fc.constantFrom("eq" as const, "ne" as const, "lt" as const, "gt" as const), field: fc.constant("n"), value: fc.integer({ min: -2, max: 2 }) }),
  fc.record({ op: fc.constant("in" as const), field: fc.constantFrom("createdBy.id", "tag"), values: fc.array(fc.constantFrom(...TEXTS), { maxLength: 3 }) }),
  fc.record({ op: fc.constant("in" as const), field: fc.constant("n"), values: fc.array(fc.integer({ min: -2, max: 2 }), { maxLength: 3 }) }),
  fc.record({ op: fc.constant("exists" as const), field: fc.constantFrom("createdBy.id", "published", "n", "tag") }),
  fc.record({ op: fc.constant("match" as const), field: fc.constantFrom("createdBy.id", "tag"), value: fc.constantFrom("u*", "*", "*b", "a*b", "a_b", "a%b", "%", "_", "a\\b", "U*", "") }),
);

const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ op: fc.constantFrom("and" as const, "or" as const), of: fc.array(tie("c"), { maxLength: 3 }) }),
    fc.record({ op: fc.constant("not" as const), of: fc.tuple(tie("c")) }),
  ),
})).c;

interface Row { created_by: string | null; published: boolean | null; n: number | null; tag: string | null }
const rowArb: fc.Arbitrary<Row> = fc.record({
  created_by: fc.option(fc.constantFrom(...TEXTS), { nil: null }),
  published: fc.option(fc.boolean(), { nil: null }),
  n: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
  tag: fc.option(fc.constantFrom(...TEXTS), { nil: null }),
});

/** The object an application sees: SQL NULL as `null` or as a missing key. */
function asObject(r: Row, i: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== null || i % 2 === 0) o[key] = value;
  };
  if (r.created_by !== null) o.createdBy = { id: r.created_by };
  else put("createdBy", i % 4 === 0 ? { id: null } : null);
  put("published", r.published);
  put("n", r.n);
  put("tag", r.tag);
  return o;
}

for (const backend of databases()) {
  describe(`toSql selects what toPredicate selects, on ${backend.name} (property)`, () => {
    let db: TestDb;
    beforeAll(async () => {
      db = await backend.open();
      await db.query("CREATE TABLE rows (id int PRIMARY KEY, created_by text, published boolean, n int, tag text)");
    }, 60_000);
    afterAll(async () => db?.close());

    it("for arbitrary nested filters and rows", async () => {
      await fc.assert(
        fc.asyncProperty(condition, fc.array(rowArb, { minLength: 1, maxLength: 8 }), async (where, rows) => {
          await db.query("DELETE FROM rows");
          for (const [i, r] of rows.entries()) {
            await db.query("INSERT INTO rows VALUES ($1, $2, $3, $4, $5)", [i, r.created_by, r.published, r.n, r.tag]);
          }
          const filter: Filter = { kind: "where", where };
          const { text, values } = toSql(filter, { columns: COLUMNS, params: 1 });
          const selected = await db.query(`SELECT id FROM rows WHERE id >= $1 AND ${text} ORDER BY id`, [0, ...values]);
          const negated = await db.query(`SELECT id FROM rows WHERE id >= $1 AND NOT ${text} ORDER BY id`, [0, ...values]);
          const keep = toPredicate(filter);
          const expected = rows.flatMap((r, i) => (keep(asObject(r, i)) ? [i] : []));
          expect(selected.map((r) => Number(r.id)), text).toEqual(expected);
          expect(selected.length + negated.length, `NOT (${text})`).toBe(rows.length);
        }),
        { numRuns: 300 },
      );
    }, 120_000);
  });
}
