// engine.plan rendered by toSql selects, in PGlite (and Postgres when
// configured), exactly the rows engine.evaluate allows with the row as
// `root`, for random policy sets over typed columns and random callers. A
// row selected but denied is reported as a security failure.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPredicate, toSql } from "gatehouse/filter";
import { createPolicyEngine, type EvaluateInput, type Policy, type PolicyCondition } from "gatehouse/policy";
import { documentedNarrowing } from "../policy/plan-arbitraries.js";
import { databases, insertRows, type TestDb } from "./db.js";

const COLUMNS = { owner: "owner", "author.id": "author_id", n: "n", published: "published" };
const OWNERS = ["u1", "u2", "u*", "a%b", "a_b", "a\\b", "", null];
const AUTHORS = ["u1", "x", null];
const NUMBERS = [-1, 0, 1, 1.5, 2, null];
const FLAGS = [true, false, null];

// Every combination once; SQL NULL reaches the application as null or as a missing key.
const stored: Array<[number, string | null, string | null, number | null, boolean | null]> = [];
const objects: Array<Record<string, unknown>> = [];
for (const owner of OWNERS) for (const author of AUTHORS) for (const n of NUMBERS) for (const published of FLAGS) {
  const id = stored.length;
  stored.push([id, owner, author, n, published]);
  const o: Record<string, unknown> = {};
  const set = (key: string, v: unknown) => {
    if (v !== null || id % 2 === 0) o[key] = v;
  };
  set("owner", owner);
  set("n", n);
  set("published", published);
  if (author !== null) o.author = { id: author };
  else set("author", id % 3 === 0 ? null : { id: null });
  objects.push(o);
}

const text = fc.constantFrom("u1", "u2", "u*", "*", "a%b", "a_b", "a\\b", "", "a*");
const textField = fc.constantFrom("root.owner", "root.author.id");
const some = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: 1, maxLength: 2 });

const condition: fc.Arbitrary<PolicyCondition> = fc.oneof(
  fc.record({ field: textField, operator: fc.constantFrom("match", "notMatch", "equals", "notEquals", "in", "notIn" as const), expected: some(text) }),
  fc.record({ field: textField, operator: fc.constantFrom("match", "notMatch", "equals", "notEquals", "in", "notIn" as const), expectedOnContext: fc.constant<string[]>(["user.id"]) }),
  fc.record({ field: fc.constant("user.id"), operator: fc.constantFrom("match", "notMatch", "equals", "notEquals", "in", "notIn" as const), expectedOnContext: fc.constant<string[]>(["root.owner"]) }),
  fc.record({ field: fc.constantFrom("root.owner", "root.author.id", "root.n", "root.published"), operator: fc.constant("exists" as const), expected: fc.boolean() }),
  fc.record({ field: fc.constant("root.n"), operator: fc.constantFrom("lessThan", "greaterThan", "equals", "notEquals", "in", "notIn" as const), expected: some(fc.constantFrom(-1, 0, 1, 1.5, 2)) }),
  fc.record({ field: fc.constant("root.n"), operator: fc.constantFrom("lessThan", "greaterThan" as const), expectedOnContext: fc.constant<string[]>(["user.level"]) }),
  fc.record({ field: fc.constant("user.level"), operator: fc.constantFrom("lessThan", "greaterThan" as const), expectedOnContext: fc.constant<string[]>(["root.n"]) }),
  fc.record({ field: fc.constant("root.published"), operator: fc.constantFrom("equals", "notEquals", "in", "notIn" as const), expected: some(fc.boolean()) }),
  fc.record({ field: fc.constant("user.role"), operator: fc.constant("equals" as const), expected: fc.constant<unknown[]>(["admin"]) }),
);

const on = { actions: ["query"], resources: ["Post::*"] };
const policies: fc.Arbitrary<Policy[]> = fc
  .array(
    fc.record({ effect: fc.constantFrom("allow", "allow", "deny"), roles: fc.constantFrom<string[]>(["*"], ["*"], ["editor"]), conditions: fc.array(condition, { maxLength: 2 }) }),
    { minLength: 1, maxLength: 4 },
  )
  .map((bodies) => bodies.map((b, i) => ({ id: `p${i}`, ...on, ...b })));

const odd = fc.constantFrom<unknown>(null, [], ["u1"], { id: "u1" }, Number.NaN);
const input: fc.Arbitrary<EvaluateInput> = fc.record({
  resource: fc.constant("Post::body"),
  action: fc.constant("query"),
  roles: fc.constantFrom([], ["editor"]),
  context: fc.record({
    user: fc.record({ id: fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: odd }), level: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(-1, 0, 1, 1.5, "1.5") }, { weight: 1, arbitrary: odd }), role: fc.constantFrom("admin", "editor") }, { requiredKeys: [] }),
  }),
});

for (const backend of databases()) {
  describe(`engine.plan through toSql on ${backend.name} selects exactly the rows evaluate allows`, () => {
    let db: TestDb;
    beforeAll(async () => {
      db = await backend.open();
      await db.query("CREATE TABLE posts (id int PRIMARY KEY, owner text, author_id text, n numeric, published boolean)");
      await insertRows(db, "posts", ["id", "owner", "author_id", "n", "published"], stored);
    }, 60_000);
    afterAll(async () => db?.close());

    it("random policies and callers, every row", async () => {
      let where = 0;
      await fc.assert(
        fc.asyncProperty(policies, input, async (list, request) => {
          const engine = createPolicyEngine(list);
          const filter = engine.plan(request);
          if (filter.kind === "where") where++;
          const { text: sql, values } = toSql(filter, { columns: COLUMNS });
          const selected = new Set((await db.query(`SELECT id FROM posts WHERE ${sql}`, values)).map((r) => Number(r.id)));
          const inMemory = toPredicate(filter);
          objects.forEach((root, id) => {
            const allowed = engine.evaluate({ ...request, context: { ...request.context, root } }).allowed;
            const detail = () => JSON.stringify({ list, request, row: stored[id], root, sql, values });
            if (selected.has(id) && !allowed) throw new Error(`SECURITY FAILURE: toSql selects a row evaluate denies: ${detail()}`);
            // Narrower than evaluate only where docs/policy.md says a plan may be (never wider).
            if (!selected.has(id) && allowed && !documentedNarrowing(list, request, root)) throw new Error(`toSql leaves out a row evaluate allows: ${detail()}`);
            expect(inMemory(root), `toPredicate and toSql differ: ${detail()}`).toBe(selected.has(id));
          });
        }),
        { numRuns: 250 },
      );
      expect(where).toBeGreaterThan(50);
    }, 60_000);
  });
}
