/**
 * Checks a filter once, before it is rendered, so a malformed one (from a
 * bug or from data) throws a `TypeError` instead of selecting the wrong
 * rows.
 * @module
 */
import type { Condition, Filter } from "./types.js";

/** Segments that would walk into prototypes. */
const FORBIDDEN: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** The path of a field, split once. @throws TypeError when malformed. @internal */
export function fieldPath(field: unknown): readonly string[] {
  if (typeof field !== "string" || field === "") throw new TypeError(`Filter field must be a non-empty dot path, got ${typeof field}.`);
  const path = field.split(".");
  if (path.some((s) => s === "" || FORBIDDEN.has(s))) throw new TypeError(`Filter field '${field}' has an empty or forbidden segment.`);
  return path;
}

/** A value `eq`, `ne` and `in` compare with: string, finite number or boolean. @internal */
export function isComparable(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

function checkValue(c: { op: string; value?: unknown }): void {
  const { op, value } = c;
  const ok = op === "lt" || op === "gt" ? typeof value === "number" && Number.isFinite(value) : op === "match" ? typeof value === "string" : isComparable(value);
  if (!ok) throw new TypeError(`Filter '${op}' needs ${op === "match" ? "a glob string" : op === "lt" || op === "gt" ? "a finite number" : "a string, finite number or boolean"}.`);
}

/** Own property only: a polluted prototype must not add or change a key. */
const own = (c: object, key: string): unknown => (Object.hasOwn(c, key) ? (c as Record<string, unknown>)[key] : undefined);

/** @throws TypeError when the condition is malformed. @internal */
export function checkCondition(c: unknown, depth = 0): asserts c is Condition {
  if (depth > 64) throw new TypeError("Filter is nested too deeply.");
  if (typeof c !== "object" || c === null) throw new TypeError("Filter condition must be an object.");
  const op = own(c, "op");
  switch (op) {
    case "eq":
    case "ne":
    case "lt":
    case "gt":
    case "match":
      fieldPath(own(c, "field"));
      checkValue({ op, value: own(c, "value") });
      return;
    case "in": {
      fieldPath(own(c, "field"));
      const values = own(c, "values");
      if (!Array.isArray(values) || !values.every(isComparable)) throw new TypeError("Filter 'in' needs an array of strings, finite numbers or booleans.");
      return;
    }
    case "exists":
      fieldPath(own(c, "field"));
      return;
    case "and":
    case "or":
    case "not": {
      const of = own(c, "of");
      if (!Array.isArray(of) || (op === "not" && of.length !== 1)) throw new TypeError(`Filter '${op}' needs ${op === "not" ? "one condition" : "a list of conditions"} in 'of'.`);
      for (const inner of of) checkCondition(inner, depth + 1);
      return;
    }
    default:
      throw new TypeError(`Unknown filter op ${JSON.stringify(op) ?? String(op)}.`);
  }
}

/** @throws TypeError when the filter is malformed. @internal */
export function checkFilter(filter: unknown): asserts filter is Filter {
  if (typeof filter !== "object" || filter === null) throw new TypeError("Filter must be { kind: 'all' | 'none' | 'where' }.");
  const kind = own(filter, "kind");
  if (kind === "all" || kind === "none") return;
  if (kind !== "where") throw new TypeError(`Unknown filter kind ${JSON.stringify(kind) ?? String(kind)}.`);
  checkCondition(own(filter, "where"));
}
