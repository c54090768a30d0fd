/**
 * `toPredicate`: a filter as a function over in-memory rows, with the same
 * meaning as `toSql` (two-valued; no member of a built-in prototype is read).
 * @module
 */
import { compileGlob } from "../core/glob.js";
import { readMember } from "../core/read-member.js";
import { checkFilter, fieldPath, isComparable } from "./check.js";
import type { Condition, Filter } from "./types.js";

type Test = (row: unknown) => boolean;

/**
 * Reads a row as the policy engine reads `root`: own properties and members
 * of the row's own classes (an ORM entity's getters), never those of
 * built-in prototypes, so a polluted prototype never supplies a value and a
 * plan's predicate sees what `evaluate` sees.
 */
function reader(field: string): (row: unknown) => unknown {
  const path = fieldPath(field);
  return (row) => {
    let value: unknown = row;
    for (const key of path) {
      if (value === null || typeof value !== "object") return undefined;
      value = readMember(value, key);
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
