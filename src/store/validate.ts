import type { Permission } from "../core/index.js";
import { StoreInputError } from "./errors.js";

const SLUG = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** @throws StoreInputError unless `value` is a slug (lower-case letters, digits, `.`, `_`, `-`; 1-100 chars). @internal */
export function assertSlug(value: unknown, what: string): string {
  if (typeof value !== "string" || !SLUG.test(value)) {
    throw new StoreInputError(`${what} must be a slug: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit, at most 100 chars.`);
  }
  return value;
}

/** @throws StoreInputError unless `value` is a non-empty string of at most `max` chars, without NUL. @internal */
export function assertText(value: unknown, what: string, max = 200): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > max) {
    throw new StoreInputError(`${what} must be a non-empty string of at most ${max} characters.`);
  }
  return assertNoNul(value, what);
}

/** @throws StoreInputError unless `value` is undefined or a string of at most `max` chars, without NUL. @internal */
export function optionalText(value: unknown, what: string, max = 2000): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || value.length > max) throw new StoreInputError(`${what} must be a string of at most ${max} characters.`);
  return assertNoNul(value, what);
}

// Postgres text cannot hold NUL; refusing it here names the field instead of failing in SQL.
function assertNoNul(value: string, what: string): string {
  if (value.includes("\u0000")) throw new StoreInputError(`${what} must not contain NUL (\\u0000) characters.`);
  return value;
}

/** @throws StoreInputError unless `value` is an array of slugs; returns them de-duplicated. @internal */
export function assertSlugList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new StoreInputError(`${what} must be an array of slugs.`);
  return [...new Set(value.map((v, i) => assertSlug(v, `${what}[${i}]`)))];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a permission list is JSON data the rest of gatehouse can read: plain objects with a
 * non-empty string `name`, JSON-serialisable values only. Returns a deep copy, so later
 * changes to the caller's objects cannot reach the store.
 * @throws StoreInputError (a `TypeError`, code `INVALID_INPUT`) naming the first bad entry.
 * @internal
 */
export function assertPermissions(value: unknown, what = "permissions"): Permission[] {
  if (!Array.isArray(value)) throw new StoreInputError(`${what} must be an array of permission objects ({ name: string, ... }).`);
  if (value.length > 1000) throw new StoreInputError(`${what} may hold at most 1000 permissions.`);
  return value.map((p, i) => {
    if (!isPlainObject(p) || typeof p.name !== "string" || p.name.trim() === "" || p.name.length > 200) {
      throw new StoreInputError(`${what}[${i}] must be an object with a non-empty string "name" (at most 200 chars).`);
    }
    assertJson(p, `${what}[${i}]`, 0);
    return JSON.parse(JSON.stringify(p)) as Permission;
  });
}

function assertJson(value: unknown, path: string, depth: number): void {
  if (depth > 8) throw new StoreInputError(`${path} is nested too deeply (at most 8 levels).`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new StoreInputError(`${path} must be a finite number.`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJson(v, `${path}[${i}]`, depth + 1));
    return;
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) assertJson(v, `${path}.${k}`, depth + 1);
    return;
  }
  throw new StoreInputError(`${path} must hold JSON values only (string, number, boolean, null, array, object).`);
}

/** @throws StoreInputError unless `value` is undefined, null or a valid Date. @internal */
export function optionalDate(value: unknown, what: string): Date | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new StoreInputError(`${what} must be a valid Date.`);
  return value;
}
