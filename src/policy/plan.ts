/**
 * `engine.plan()`: the rows (objects) for which `evaluate` would allow, as a
 * filter over the object's paths, so a list can be filtered in the database.
 *
 * Each condition of a candidate policy becomes a pair of row conditions:
 * `holds` (the condition is true for the row) and `fails` (it is evaluated
 * and false). Conditions that do not read the object are decided with the
 * given context (constants). Then, exactly as `evaluate` combines them:
 *
 *   row selected ⇔ (some allow: every condition holds)
 *                  ∧ ¬(some deny: no condition fails)
 *
 * ("no condition fails" is how a deny matches when a condition cannot be
 * evaluated: missing data never weakens a deny). Where a pair cannot be
 * expressed exactly, both sides are narrowed (a part that cannot be written
 * counts as "cannot be evaluated"), which can only remove rows: a plan is
 * never wider than `evaluate`. Only two cases are narrowed: two fields of
 * the object compared with each other, and array fields of `in` / `notIn`.
 * @module
 */
import { and, not, or, toFilter, type Built } from "../filter/build.js";
import type { Condition as RowCondition, Filter } from "../filter/types.js";
import { FAILS, HOLDS, isRootPath, isScalar, toNumber, toText, conditionState, unusableInput, type CompiledCondition } from "./conditions.js";
import { resolvePath } from "./context-path.js";
import type { CompiledPolicy } from "./compile.js";
import type { EvaluateInput } from "./types.js";

/** A condition as two row conditions; `holds` and `fails` are never both true. */
interface Pair {
  holds: Built;
  fails: Built;
}

/** Cannot be evaluated for any row: an allow does not match, a deny does. */
const UNKNOWN_PAIR: Pair = { holds: false, fails: false };

const eq = (field: string, value: unknown): RowCondition => ({ op: "eq", field, value });
const ne = (field: string, value: unknown): RowCondition => ({ op: "ne", field, value });

/** Rows whose field is a string, finite number or boolean (what `match`, `eq` and `in` compare). */
const isText = (field: string): RowCondition => ({ op: "match", field, value: "*" });

/** Rows whose field is a number or numeric string: every finite number is below 0 or above -1. */
const isNumeric = (field: string): Built => or({ op: "lt", field, value: 0 }, { op: "gt", field, value: -1 });

/** `field` equals none of `values` (all comparable), and is a string, number or boolean. */
function noneEqual(field: string, values: readonly (string | number | boolean)[]): Built {
  return values.length === 0 ? isText(field) : and(...values.map((v) => ne(field, v)));
}

/** The literal values of a condition plus its values read from the context (not the object). */
function knownValues(c: CompiledCondition, context: unknown): unknown[] {
  const out: unknown[] = [...c.expected];
  c.contextNames.forEach((name, i) => {
    if (!isRootPath(name)) out.push(resolvePath(context, c.contextPaths[i] as readonly string[]));
  });
  return out;
}

/** The condition's field is on the object, every compared value is known. */
function objectField(c: CompiledCondition, field: string, known: unknown[]): Pair {
  switch (c.operator) {
    case "exists": {
      const present: RowCondition = { op: "exists", field };
      return c.wantPresent ? { holds: present, fails: not(present) } : { holds: not(present), fails: present };
    }
    case "match":
    case "notMatch": {
      // Literal globs are globs; values from the context compare as text, literally.
      const hits = [
        ...c.expected.map((e) => ({ op: "match", field, value: String(e) }) as RowCondition),
        ...known.slice(c.expected.length).map((v) => textEquals(field, toText(v) as string)),
      ];
      const hit = or(...hits);
      const miss = and(isText(field), not(hit));
      return c.operator === "match" ? { holds: hit, fails: miss } : { holds: miss, fails: hit };
    }
    case "equals":
    case "notEquals":
    case "in":
    case "notIn": {
      // Known values are strings, finite numbers or booleans (validated). Array fields
      // of in/notIn are not expressible: both sides leave them out (narrower).
      const values = known as (string | number | boolean)[];
      const hit: RowCondition = { op: "in", field, values };
      const miss = noneEqual(field, values);
      const positive = c.operator === "equals" || c.operator === "in";
      return positive ? { holds: hit, fails: miss } : { holds: miss, fails: hit };
    }
    case "lessThan":
    case "greaterThan": {
      const bounds = known.map((v) => toNumber(v) as number);
      const less = c.operator === "lessThan";
      // Any alternative may hold: the loosest bound decides.
      const bound = less ? Math.max(...bounds) : Math.min(...bounds);
      const holds: RowCondition = { op: less ? "lt" : "gt", field, value: bound };
      return { holds, fails: and(isNumeric(field), not(holds)) };
    }
  }
}

/** The row's field, as text, is exactly `text` (a `*` in it is literal). */
function textEquals(field: string, text: string): RowCondition {
  // Without `*` a glob is plain text equality (numbers and booleans by their text);
  // with one, only a string can have that text, so strict equality is exact.
  return text.includes("*") ? eq(field, text) : { op: "match", field, value: text };
}

/** The field is known (not on the object); some expected values are on the object. */
function objectValues(c: CompiledCondition, value: unknown, known: unknown[], fields: string[]): Pair {
  const op = c.operator;
  let usable: Built;
  let hit: Built;
  let miss: Built;
  if (op === "match" || op === "notMatch") {
    const text = toText(value) as string;
    const literal = c.globs.some((g) => g(text)) || known.slice(c.expected.length).some((v) => toText(v) === text);
    usable = and(...fields.map(isText));
    hit = or(literal, ...fields.map((f) => textEquals(f, text)));
    miss = and(!literal, ...fields.map((f) => not(textEquals(f, text))));
    return op === "match" ? { holds: and(usable, hit), fails: and(usable, miss) } : { holds: and(usable, miss), fails: and(usable, hit) };
  }
  if (op === "lessThan" || op === "greaterThan") {
    const n = toNumber(value) as number;
    const less = op === "lessThan";
    const literal = known.some((v) => (less ? n < (toNumber(v) as number) : n > (toNumber(v) as number)));
    const rowHit = (f: string): RowCondition => ({ op: less ? "gt" : "lt", field: f, value: n });
    const rowMiss = (f: string): Built => not(rowHit(f));
    usable = and(...fields.map(isNumeric));
    return {
      holds: and(usable, or(literal, ...fields.map(rowHit))),
      fails: and(usable, !literal, ...fields.map(rowMiss)),
    };
  }
  // equals / notEquals / in / notIn: scalars (in/notIn: any element of an array field).
  const elements = Array.isArray(value) ? value : [value];
  const targets = elements.filter(isScalar);
  // An array field without a scalar element: no typed test for "the row value is comparable".
  if (targets.length === 0) return UNKNOWN_PAIR;
  const literal = targets.some((v) => known.includes(v));
  const sample = targets[0] as string | number | boolean;
  // Comparable (a string, finite number or boolean), tested with a value of the caller's type,
  // so that SQL compares in the column's type.
  usable = and(...fields.map((f) => or(eq(f, sample), ne(f, sample))));
  hit = or(literal, ...fields.map((f): RowCondition => ({ op: "in", field: f, values: targets })));
  miss = and(!literal, ...fields.map((f) => noneEqual(f, targets)));
  const positive = op === "equals" || op === "in";
  return positive ? { holds: and(usable, hit), fails: and(usable, miss) } : { holds: and(usable, miss), fails: and(usable, hit) };
}

/** One condition as a pair of row conditions (paths with `root.` stripped). Throws what the context throws. */
function pairOf(c: CompiledCondition, context: unknown): Pair {
  if (!c.readsRoot) {
    const state = conditionState(c, context);
    return { holds: state === HOLDS, fails: state === FAILS };
  }
  // Inputs outside the object that cannot be used make the condition unknown for every row.
  if (unusableInput(c, context, true) !== null) return UNKNOWN_PAIR;
  const known = knownValues(c, context);
  const objectNames = c.contextNames.filter(isRootPath);
  const strip = (path: string) => path.slice("root.".length);
  if (isRootPath(c.field)) {
    // Comparing two fields of the same object is not expressible as a row filter.
    if (objectNames.length > 0 || c.field === "root") return UNKNOWN_PAIR;
    return objectField(c, strip(c.field), known);
  }
  if (objectNames.includes("root")) return UNKNOWN_PAIR;
  return objectValues(c, resolvePath(context, c.path), known, objectNames.map(strip));
}

/**
 * The rows for which the candidate policies allow.
 * @internal
 */
export function planPolicies(candidates: readonly CompiledPolicy[], input: EvaluateInput): Filter {
  // The object comes from the rows; a root in the given context is ignored.
  const { root: _root, ...context } = (input.context ?? {}) as Record<string, unknown>;
  const allows: Built[] = [];
  const denies: Built[] = [];
  try {
    for (const p of candidates) {
      const pairs = p.conditions.map((c) => pairOf(c, context));
      if (p.deny) denies.push(and(...pairs.map((pair) => not(pair.fails))));
      else allows.push(and(...pairs.map((pair) => pair.holds)));
    }
  } catch {
    // A condition that throws denies every row, as in evaluate.
    return { kind: "none" };
  }
  return toFilter(and(or(...allows), not(or(...denies))));
}
