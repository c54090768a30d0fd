/**
 * Building filters: constructors that fold constants (`TRUE AND x` is `x`)
 * so generated filters stay small, plus `allOf` / `anyOf` to combine
 * filters (e.g. "published, or a draft I may read").
 * @module
 */
import type { Condition, Filter } from "./types.js";

/** A condition, or a constant while a filter is being built. @internal */
export type Built = Condition | boolean;

/** AND with constant folding. @internal */
export function and(...parts: Built[]): Built {
  const of: Condition[] = [];
  for (const p of parts) {
    if (p === false) return false;
    if (p === true) continue;
    if (p.op === "and") of.push(...p.of);
    else of.push(p);
  }
  if (of.length === 0) return true;
  return of.length === 1 ? (of[0] as Condition) : { op: "and", of };
}

/** OR with constant folding. @internal */
export function or(...parts: Built[]): Built {
  const of: Condition[] = [];
  for (const p of parts) {
    if (p === true) return true;
    if (p === false) continue;
    if (p.op === "or") of.push(...p.of);
    else of.push(p);
  }
  if (of.length === 0) return false;
  return of.length === 1 ? (of[0] as Condition) : { op: "or", of };
}

/** NOT with constant folding and double negation removed. @internal */
export function not(part: Built): Built {
  if (typeof part === "boolean") return !part;
  return part.op === "not" ? part.of[0] : { op: "not", of: [part] };
}

/** A built condition as a filter. @internal */
export function toFilter(built: Built): Filter {
  if (built === true) return { kind: "all" };
  if (built === false) return { kind: "none" };
  return { kind: "where", where: built };
}

function fromFilter(filter: Filter): Built {
  return filter.kind === "all" ? true : filter.kind === "none" ? false : filter.where;
}

/**
 * Rows selected by every filter (`"all"` when none are given).
 * @example
 * allOf(perms.filter("recipe", "read"), { kind: "where", where: { op: "eq", field: "published", value: false } });
 */
export function allOf(...filters: Filter[]): Filter {
  return toFilter(and(...filters.map(fromFilter)));
}

/**
 * Rows selected by any filter (`"none"` when none are given).
 * @example
 * // Published recipes, plus the drafts the caller may read.
 * anyOf({ kind: "where", where: { op: "eq", field: "published", value: true } }, perms.filter("recipe", "read"));
 */
export function anyOf(...filters: Filter[]): Filter {
  return toFilter(or(...filters.map(fromFilter)));
}
