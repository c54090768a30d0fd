import type { Permission } from "./types.js";

/**
 * Does a held permission name cover a requested name, or a requested pattern cover a held name?
 * Supports exact names, `"*"` and `"prefix.*"` on either side, so
 * `getPermissions("recipes.recipe")` finds a held `recipes.*`, and
 * `getPermissions("recipes.*")` finds a held `recipes.recipe`.
 * @internal
 */
export function permissionNameMatches(held: string, requested: string): boolean {
  if (held === requested || held === "*" || requested === "*") return true;
  if (held.endsWith(".*") && requested.startsWith(held.slice(0, -1))) return true;
  if (requested.endsWith(".*") && held.startsWith(requested.slice(0, -1))) return true;
  return false;
}

/** @internal */
export function filterPermissions(permissions: readonly Permission[], name: string): Permission[] {
  return permissions.filter((p) => permissionNameMatches(p.name, name));
}

/** Deep-freezes plain data so rules and resolvers cannot alter a request's permissions. @internal */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/**
 * A frozen deep copy of plain data (objects, arrays, primitives). Much cheaper
 * than `structuredClone` for the JSON-shaped identities and permissions of a
 * request; anything else (Date, Map, ...) is copied with `structuredClone`.
 * @internal
 */
export function frozenCopy<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== "object") return value;
  const proto = Object.getPrototypeOf(value);
  // Deep (possibly cyclic) or non-plain values take the general path.
  if (depth > 32 || (!Array.isArray(value) && proto !== Object.prototype && proto !== null)) return deepFreeze(structuredClone(value));
  if (Array.isArray(value)) return Object.freeze(value.map((v) => frozenCopy(v, depth + 1))) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copy = frozenCopy((value as Record<string, unknown>)[key], depth + 1);
    // A "__proto__" key (e.g. from JSON.parse) stays data, never a prototype.
    if (key === "__proto__") Object.defineProperty(out, key, { value: copy, enumerable: true });
    else out[key] = copy;
  }
  return Object.freeze(out) as T;
}
