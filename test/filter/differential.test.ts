// Never wider: over 10,000 seeded rows, the rows a filter selects — through
// toPredicate in memory and through toSql in the database — are exactly the
// rows the checks allow, for many generated permission sets (perms.filter)
// and policy sets (engine.plan). A row selected but not allowed is reported
// as a security failure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPermissions, createSecurityContext, type Identity, type OwnableItem, type Permission, type RowAction } from "gatehouse";
import { toPredicate, toSql, type Filter } from "gatehouse/filter";
import { createPolicyEngine, type EvaluateInput, type Policy, type PolicyCondition } from "gatehouse/policy";
import { databases, insertRows, type TestDb } from "./db.js";

const SEED = 0x2121;
const ROWS = 10_000;
const PERMISSION_SETS = 120;
const POLICY_SETS = 300;
const ACTIONS: readonly RowAction[] = ["read", "edit", "delete", "publish", "unpublish"];

/** mulberry32: a small seeded PRNG, so every run sees the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const chance = (p: number) => rand() < p;

// ---- rows: one SQL tuple each, and the object the checks see ----
interface Stored {
  id: number;
  created_by: string | null;
  published: boolean | null;
  n: number | null;
  tag: string | null;
}
const COLUMNS = { "createdBy.id": "created_by", published: "published", n: "n", tag: "tag" };

function makeRows(): { stored: Stored[]; objects: Array<Record<string, unknown>> } {
  const stored: Stored[] = [];
  const objects: Array<Record<string, unknown>> = [];
  for (let id = 0; id < ROWS; id++) {
    const s: Stored = {
      id,
      created_by: pick(["u1", "u2", "u3", null]),
      published: pick([true, false, null]),
      n: pick([-2, -1, 0, 1, 2, 3, 4, 5, null]),
      tag: pick(["a", "ab", "b", "a*b", "x_y", "50%", "", null]),
    };
    stored.push(s);
    // SQL NULL may reach the application as null or as a missing key; both must behave alike.
    const o: Record<string, unknown> = { id };
    const set = (key: string, value: unknown) => {
      if (value !== null) o[key] = value;
      else if (chance(0.5)) o[key] = null;
    };
    if (s.created_by !== null) o.createdBy = { id: s.created_by };
    else set("createdBy", pick([null, { id: null }]));
    set("published", s.published);
    set("n", s.n);
    set("tag", s.tag);
    objects.push(o);
  }
  return { stored, objects };
}

// ---- permission sets ----
const Recipes = createPermissions({
  prefix: "recipes",
  fullAccess: { name: "recipes.*" },
  entities: [{ id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"], actions: [{ name: "rwd" }, { name: "pw" }] }],
} as const);

function letters(from: string): string {
  return [...from].filter(() => chance(0.5)).join("");
}

function makePermission(): Permission {
  const name = pick(["*", "recipes.*", "other.*", "recipes.recipe", "recipes.recipe", "recipes.recipe", "recipes.recipe"]);
  const p: Permission = { name };
  if (name !== "recipes.recipe") return p;
  if (chance(0.5)) p.own = pick([true, true, false, "yes"]);
  if (chance(0.7)) p.rwd = chance(0.95) ? letters("rwd") : 5;
  if (chance(0.5)) p.pw = letters("pu");
  return p;
}

interface PermissionSet {
  identity: Identity | null;
  permissions: Permission[];
}

function makePermissionSets(): PermissionSet[] {
  return Array.from({ length: PERMISSION_SETS }, () => ({
    identity: pick([{ id: "u1" }, { id: "u2" }, null]),
    permissions: Array.from({ length: Math.floor(rand() * 4) }, makePermission),
  }));
}

// ---- policy sets, typed to the columns ----
const on = { actions: ["query"], resources: ["Recipe::*"] };

function textCondition(field: string): PolicyCondition {
  const operator = pick(["match", "notMatch", "equals", "notEquals", "in", "notIn", "exists"] as const);
  if (operator === "exists") return { field, operator, expected: chance(0.5) };
  const values = operator === "match" || operator === "notMatch" ? ["u*", "a*", "*b", "a*b", "x_y", "50%", "*", ""] : ["u1", "u2", "a", "ab", ""];
  const c: PolicyCondition = { field, operator, expected: [pick(values), ...(chance(0.3) ? [pick(values)] : [])] };
  if (chance(0.3)) c.expectedOnContext = ["user.id"];
  return c;
}

function objectCondition(): PolicyCondition {
  switch (pick(["text", "text", "bool", "int", "int", "known-text", "known-int", "plain"] as const)) {
    case "text":
      return textCondition(pick(["root.createdBy.id", "root.tag"]));
    case "bool": {
      const operator = pick(["equals", "notEquals", "in", "notIn", "exists"] as const);
      return operator === "exists" ? { field: "root.published", operator, expected: chance(0.5) } : { field: "root.published", operator, expected: [pick([true, false])] };
    }
    case "int": {
      const operator = pick(["lessThan", "greaterThan", "equals", "notEquals", "in", "notIn", "exists"] as const);
      if (operator === "exists") return { field: "root.n", operator, expected: chance(0.5) };
      if (operator === "lessThan" || operator === "greaterThan") {
        return chance(0.3) ? { field: "root.n", operator, expectedOnContext: ["user.level"] } : { field: "root.n", operator, expected: [pick([0, 2, "3.5", -1])] };
      }
      return { field: "root.n", operator, expected: [pick([0, 1, 2, 3]), ...(chance(0.3) ? [pick([4, 5])] : [])] };
    }
    case "known-text":
      return { field: "user.id", operator: pick(["equals", "notEquals", "match", "notMatch", "in", "notIn"] as const), expectedOnContext: ["root.createdBy.id"] };
    case "known-int":
      return { field: "user.level", operator: pick(["lessThan", "greaterThan"] as const), expectedOnContext: ["root.n"] };
    case "plain":
      return pick<PolicyCondition>([
        { field: "user.role", operator: "equals", expected: ["admin"] },
        { field: "user.level", operator: "greaterThan", expected: [2] },
        { field: "user.id", operator: "exists" },
      ]);
  }
}

interface PolicyCase {
  policies: Policy[];
  input: EvaluateInput;
}

function makePolicyCases(): PolicyCase[] {
  return Array.from({ length: POLICY_SETS }, () => {
    const policies = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, i): Policy => ({
      id: `p${i}`,
      effect: pick(["allow", "allow", "deny"]),
      ...on,
      roles: pick([["*"], ["*"], ["*"], ["editor"]]),
      conditions: Array.from({ length: Math.floor(rand() * 3) + (chance(0.8) ? 1 : 0) }, objectCondition),
    }));
    const user: Record<string, unknown> = {};
    if (chance(0.8)) user.id = pick(["u1", "u2", "u3", "a"]);
    if (chance(0.7)) user.level = pick([0, 1, 3, 5, "x"]);
    if (chance(0.3)) user.role = pick(["admin", "editor"]);
    return { policies, input: { resource: "Recipe::*", action: "query", roles: pick([[], ["editor"]]), context: chance(0.1) ? {} : { user } } };
  });
}

// ---- the comparison ----
const rows = makeRows();
const permissionSets = makePermissionSets();
const policyCases = makePolicyCases();

const check: Record<RowAction, (p: ReturnType<typeof Recipes.for>, row: OwnableItem) => Promise<boolean>> = {
  read: async (p, row) => (await p.canRead("recipe")) && (await p.canAccess("recipe", row)),
  edit: (p, row) => p.canEdit("recipe", row),
  delete: (p, row) => p.canDelete("recipe", row),
  publish: async (p, row) => (await p.canPublish("recipe")) && (await p.canAccess("recipe", row)),
  unpublish: async (p, row) => (await p.canUnpublish("recipe")) && (await p.canAccess("recipe", row)),
};

/** Compares selected ids with allowed ids; a selected row that is not allowed is a security failure. */
function compare(label: string, selected: ReadonlySet<number>, allowed: ReadonlySet<number>, details: () => unknown): void {
  const wider = [...selected].filter((id) => !allowed.has(id));
  if (wider.length > 0) {
    throw new Error(`SECURITY FAILURE (${label}): ${wider.length} row(s) selected that the check denies, e.g. row ${wider[0]}: ${JSON.stringify(details())}`);
  }
  const narrower = [...allowed].filter((id) => !selected.has(id));
  expect(narrower, `${label}: rows allowed but not selected: ${JSON.stringify(details())}`).toEqual([]);
}

interface Expectation {
  label: string;
  filter: Filter;
  allowed: Set<number>;
  details: () => unknown;
}

/** Every filter with the rows its check allows; computed once, compared in memory and in each database. */
const expectations: Promise<Expectation[]> = (async () => {
  const out: Expectation[] = [];
  for (const [i, set] of permissionSets.entries()) {
    const perms = Recipes.for(createSecurityContext({ identity: set.identity, permissions: set.permissions }));
    for (const action of ACTIONS) {
      const allowed = new Set<number>();
      for (const row of rows.objects) if (await check[action](perms, row as OwnableItem)) allowed.add(row.id as number);
      out.push({ label: `permission set ${i} ${action}`, filter: perms.filter("recipe", action), allowed, details: () => ({ set, action }) });
    }
  }
  for (const [i, c] of policyCases.entries()) {
    const engine = createPolicyEngine(c.policies);
    const allowed = new Set<number>();
    for (const row of rows.objects) if (engine.evaluate({ ...c.input, context: { ...c.input.context, root: row } }).allowed) allowed.add(row.id as number);
    out.push({ label: `policy set ${i}`, filter: engine.plan(c.input), allowed, details: () => c });
  }
  return out;
})();

describe("row filters are never wider than the checks (seeded differential)", () => {
  it("toPredicate selects exactly the allowed rows", async () => {
    const list = await expectations;
    let decisions = 0;
    for (const e of list) {
      const test = toPredicate(e.filter);
      const selected = new Set(rows.objects.filter(test).map((r) => r.id as number));
      compare(`${e.label}, toPredicate`, selected, e.allowed, e.details);
      decisions += rows.objects.length;
    }
    const kinds = list.reduce<Record<string, number>>((acc, e) => ((acc[e.filter.kind] = (acc[e.filter.kind] ?? 0) + 1), acc), {});
    const allowedShare = list.reduce((n, e) => n + e.allowed.size, 0) / decisions;
    console.log(
      `row-filter differential (seed ${SEED}): ${ROWS} rows; ${PERMISSION_SETS} permission sets x ${ACTIONS.length} actions (${ACTIONS.join(", ")}); ` +
        `${POLICY_SETS} policy sets; ${decisions} row decisions compared in memory; filters: ${JSON.stringify(kinds)}; ` +
        `${(allowedShare * 100).toFixed(1)}% of row decisions allowed`,
    );
    expect(decisions).toBeGreaterThanOrEqual(ROWS * (PERMISSION_SETS * ACTIONS.length + POLICY_SETS));
    // The data is varied enough to mean something: some filters restrict, and both outcomes occur.
    expect(kinds.where ?? 0).toBeGreaterThan(150);
    expect(allowedShare).toBeGreaterThan(0.05);
    expect(allowedShare).toBeLessThan(0.95);
  });

  for (const backend of databases()) {
    describe(`toSql on ${backend.name}`, () => {
      let db: TestDb;
      beforeAll(async () => {
        db = await backend.open();
        await db.query("CREATE TABLE recipes (id int PRIMARY KEY, created_by text, published boolean, n int, tag text)");
        await insertRows(db, "recipes", ["id", "created_by", "published", "n", "tag"], rows.stored.map((r) => [r.id, r.created_by, r.published, r.n, r.tag]));
      }, 60_000);
      afterAll(async () => db?.close());

      it("selects exactly the allowed rows", async () => {
        const list = await expectations;
        // Identical queries (e.g. every "own rows of u1") run once.
        const results = new Map<string, Set<number>>();
        const negated = new Set<string>();
        for (const e of list) {
          const { text, values } = toSql(e.filter, { columns: COLUMNS, params: 1 });
          const key = JSON.stringify([text, values]);
          let selected = results.get(key);
          if (!selected) {
            // $1 is the surrounding query's own parameter: the filter starts at $2.
            const found = await db.query(`SELECT id FROM recipes WHERE id >= $1 AND ${text}`, [0, ...values]);
            selected = new Set(found.map((r) => Number(r.id)));
            results.set(key, selected);
          }
          compare(`${e.label}, toSql on ${backend.name}`, selected, e.allowed, () => ({ ...(e.details() as object), text, values }));
          if (e.filter.kind === "where" && !negated.has(key)) {
            // The fragment is never NULL: its negation selects exactly the other rows.
            const others = await db.query(`SELECT id FROM recipes WHERE id >= $1 AND NOT ${text}`, [0, ...values]);
            expect(others.length + selected.size, `${e.label}: NOT (${text})`).toBe(ROWS);
            negated.add(key);
          }
        }
        console.log(`row-filter differential on ${backend.name}: ${list.length} filters, ${results.size} distinct SQL queries over ${ROWS} rows`);
        expect(results.size).toBeGreaterThan(100);
      }, 60_000);
    });
  }
});
