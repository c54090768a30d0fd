/**
 * `toPredicate`: a filter as a function over in-memory rows, with the same
 * meaning as `toSql` (two-valued, own properties only).
 * @module
 */
import { compileGlob } from "../core/glob.js";
import { checkFilter, fieldPath, isComparable } from "./check.js";
import type { Condition, Filter } from "./types.js";

type Test = (row: unknown) => boolean;

/** Reads own properties only, so a polluted prototype never supplies a value. */
function reader(field: string): (row: unknown) => unknown {
  const path = fieldPath(field);
  return (row) => {
    let value: unknown = row;
    for (const key of path) {
      if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number from a number or a numeric string (as policies read numbers). */
function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && NUMERIC.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function compile(c: Condition): Test {
  switch (c.op) {
    case "and": {
      const tests = c.of.map(compile);
      return (row) => tests.every((t) => t(row));
    }
    case "or": {
      const tests = c.of.map(compile);
      return (row) => tests.some((t) => t(row));
    }
    case "not": {
      const inner = compile(c.of[0]);
      return (row) => !inner(row);
    }
    case "exists": {
      const read = reader(c.field);
      return (row) => read(row) != null;
    }
    case "in": {
      const read = reader(c.field);
      const values = [...c.values];
      return (row) => {
        const v = read(row);
        return isComparable(v) && values.includes(v);
      };
    }
    case "eq":
    case "ne": {
      const read = reader(c.field);
      const { value } = c;
      const equal = c.op === "eq";
      return (row) => {
        const v = read(row);
        return isComparable(v) && (v === value) === equal;
      };
    }
    case "lt":
    case "gt": {
      const read = reader(c.field);
      const bound = c.value as number;
      const less = c.op === "lt";
      return (row) => {
        const n = toNumber(read(row));
        return n !== undefined && (less ? n < bound : n > bound);
      };
    }
    case "match": {
      const read = reader(c.field);
      const glob = compileGlob(c.value as string);
      return (row) => {
        const v = read(row);
        return isComparable(v) && glob(String(v));
      };
    }
  }
}

const ALL: Test = () => true;
const NONE: Test = () => false;

/**
 * A filter as a predicate for in-memory lists: `rows.filter(toPredicate(f))`
 * selects exactly the rows `toSql(f, ...)` selects in the database.
 * @throws TypeError when the filter is malformed (unknown op, bad field or value).
 * @example
 * const visible = recipes.filter(toPredicate(perms.filter("recipe", "read")));
 */
export function toPredicate(filter: Filter): (row: unknown) => boolean {
  checkFilter(filter);
  if (filter.kind === "all") return ALL;
  if (filter.kind === "none") return NONE;
  return compile(filter.where);
}
