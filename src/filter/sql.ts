/**
 * `toSql`: a filter as a Postgres / PGlite boolean expression with `$n`
 * parameters. Every comparison is wrapped so that SQL `NULL` never leaks
 * into the result: each piece is `TRUE` or `FALSE`, as in `toPredicate`,
 * so `NOT` never turns a `NULL` into a match.
 * @module
 */
import { checkFilter, fieldPath } from "./check.js";
import type { Condition, Filter, SqlFragment, ToSqlOptions } from "./types.js";

/** `"a"."b"`: each part of a (possibly qualified) column name quoted. */
function quote(column: string): string {
  const parts = column.split(".");
  if (parts.some((p) => p === "" || p.includes("\u0000"))) throw new TypeError(`toSql: column '${column}' is not a valid identifier.`);
  return parts.map((p) => `"${p.replace(/"/g, '""')}"`).join(".");
}

/** A glob as a LIKE pattern: `*` is `%`; `%`, `_` and `\` are literal. */
function likePattern(glob: string): string {
  return glob.replace(/[\\%_]/g, (ch) => `\\${ch}`).replace(/\*/g, "%");
}

/**
 * The SQL type a value is sent as. Typing the parameter (instead of letting
 * Postgres infer it from the column) makes a value of the wrong kind an
 * error (`integer = text`) rather than a silent coercion that could select
 * rows the check would not (`'5'` equal to `5`).
 */
function sqlType(value: unknown): string {
  if (typeof value === "string") return "text";
  if (typeof value === "boolean") return "boolean";
  return "numeric";
}

interface Renderer {
  readonly columns: Readonly<Record<string, string>>;
  readonly values: unknown[];
  readonly offset: number;
}

function column(r: Renderer, field: string): string {
  fieldPath(field);
  const name = Object.hasOwn(r.columns, field) ? r.columns[field] : undefined;
  if (typeof name !== "string") throw new TypeError(`toSql: no column for field '${field}'; add it to 'columns'.`);
  return quote(name);
}

function param(r: Renderer, value: unknown, type = sqlType(value)): string {
  r.values.push(value);
  return `$${r.offset + r.values.length}::${type}`;
}

function render(r: Renderer, c: Condition): string {
  switch (c.op) {
    case "and":
    case "or":
      if (c.of.length === 0) return c.op === "and" ? "TRUE" : "FALSE";
      return `(${c.of.map((inner) => render(r, inner)).join(c.op === "and" ? " AND " : " OR ")})`;
    case "not":
      return `(NOT ${render(r, c.of[0])})`;
    case "exists":
      return `(${column(r, c.field)} IS NOT NULL)`;
    case "in": {
      if (c.values.length === 0) return "FALSE";
      const col = column(r, c.field);
      return `COALESCE(${col} IN (${c.values.map((v) => param(r, v)).join(", ")}), FALSE)`;
    }
    case "eq":
    case "ne":
      return `COALESCE(${column(r, c.field)} ${c.op === "eq" ? "=" : "<>"} ${param(r, c.value)}, FALSE)`;
    case "lt":
    case "gt":
      return `COALESCE(${column(r, c.field)} ${c.op === "lt" ? "<" : ">"} ${param(r, c.value, "numeric")}, FALSE)`;
    case "match":
      return `COALESCE(${column(r, c.field)} LIKE ${param(r, likePattern(c.value as string), "text")} ESCAPE '\\', FALSE)`;
  }
}

/**
 * A filter as a SQL boolean expression for Postgres or PGlite: identifiers
 * come only from `columns` (quoted), every value is a `$n` parameter.
 * `"all"` is `TRUE`, `"none"` is `FALSE`.
 *
 * Selects the same rows as `toPredicate` when the columns' types match the
 * values (text for strings, numeric types for numbers, boolean for
 * booleans); a value of the wrong kind for its column is a database error,
 * never a wider match. `match` needs a text column.
 *
 * @throws TypeError when a field has no column or the filter is malformed.
 * @example
 * const { text, values } = toSql(perms.filter("recipe", "read"), { columns: { "createdBy.id": "created_by" } });
 * await db.query(`SELECT * FROM recipes WHERE ${text}`, values);
 */
export function toSql(filter: Filter, options: ToSqlOptions): SqlFragment {
  if (typeof options !== "object" || options === null || typeof options.columns !== "object" || options.columns === null) {
    throw new TypeError("toSql: options must be { columns: { field: column }, params? }.");
  }
  const offset = options.params ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new TypeError("toSql: 'params' must be a non-negative integer.");
  checkFilter(filter);
  if (filter.kind === "all") return { text: "TRUE", values: [] };
  if (filter.kind === "none") return { text: "FALSE", values: [] };
  const r: Renderer = { columns: options.columns, values: [], offset };
  const text = render(r, filter.where);
  return { text, values: r.values };
}
