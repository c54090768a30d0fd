/**
 * The row-filter AST: which rows of a list a caller may see (or edit, ...).
 * Built from permissions (`perms.filter(entity, action)`) or policies
 * (`engine.plan(...)`), rendered by `toSql` or `toPredicate`.
 * @module
 */

/**
 * One test on a row. `field` is a dotted path in the row (`"createdBy.id"`,
 * `"published"`): own properties and members of the row's own classes
 * (getters of an ORM entity), never members of built-in prototypes.
 *
 * Two-valued logic: a missing or `null` field makes every comparison on it
 * false (`ne`, `lt`, `gt` and `match` included); `exists` tests presence;
 * `not` inverts the whole condition.
 * - `eq` / `ne`: the field is a string, number or boolean and is (is not)
 *   strictly equal to `value` (`1` is not `"1"`).
 * - `lt` / `gt`: the field is a number or a numeric string (`"9.5"`) and is
 *   strictly below / above `value`, a finite number.
 * - `match`: the field is a string, finite number or boolean whose text
 *   matches the `*` glob `value` (same globs as policies; `*` is the only
 *   special character).
 * - `in`: the field is a string, number or boolean equal to one of `values`.
 * - `exists`: the field is neither missing nor `null`.
 */
export type Condition =
  | { op: "eq" | "ne" | "lt" | "gt" | "match"; field: string; value: unknown }
  | { op: "in"; field: string; values: unknown[] }
  | { op: "exists"; field: string }
  | { op: "and" | "or"; of: Condition[] }
  | { op: "not"; of: [Condition] };

/** Every row, no row, or the rows where `where` holds. */
export type Filter = { kind: "all" } | { kind: "none" } | { kind: "where"; where: Condition };

/** Options of `toSql`. */
export interface ToSqlOptions {
  /**
   * Column of each field, e.g. `{ "createdBy.id": "created_by" }`. A column
   * may be qualified (`"r.created_by"`); each part is quoted. A field with
   * no column throws a `TypeError`: a filter is never silently widened.
   */
  columns: Readonly<Record<string, string>>;
  /**
   * How many `$n` parameters the surrounding query already uses; the
   * filter's values are numbered from `params + 1`.
   * @default 0
   */
  params?: number;
}

/** A SQL boolean expression and its parameter values, for `pg` / PGlite `query(text, values)`. */
export interface SqlFragment {
  text: string;
  values: unknown[];
}
