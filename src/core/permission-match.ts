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
 * Plain data known to be frozen all the way down (made by {@link frozenCopy}
 * or {@link frozenInPlace}), so it can be shared instead of copied again.
 */
const sealed = new WeakSet<object>();

/**
 * A frozen deep copy of plain data (objects, arrays, primitives). Much cheaper
 * than `structuredClone` for the JSON-shaped identities and permissions of a
 * request; anything else (Date, Map, ...) is copied with `structuredClone`.
 * A value that is itself such a copy is returned as is: nothing can change
 * it, so sharing it is the same as copying it (a cached token's identity is
 * copied once, not once per request).
 * @internal
 */
export function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (sealed.has(value)) return value;
  const state = { plain: true };
  const copy = copyFrozen(value, 0, state);
  // Only copies made of plain data are known to be immutable all the way down.
  if (state.plain) sealed.add(copy as object);
  return copy;
}

/**
 * Whether a value is plain data frozen all the way down by {@link frozenCopy} or
 * {@link frozenInPlace}: nothing can change it, so anything derived from it alone may be remembered.
 * @internal
 */
export const isFrozenPlain = (value: unknown): boolean => typeof value === "object" && value !== null && sealed.has(value);

/**
 * Freezes plain data in place, all the way down, and marks it shareable like a
 * {@link frozenCopy}, without copying. Only for values nobody else holds (just
 * parsed or just built); anything that is not plain data, or nests deeper than
 * 32, gets a frozen copy instead.
 * @internal
 */
export function frozenInPlace<T>(value: T): T {
  if (value === null || typeof value !== "object" || sealed.has(value)) return value;
  if (!freezePlain(value, 0)) return frozenCopy(value);
  sealed.add(value);
  return value;
}

function freezePlain(value: object, depth: number): boolean {
  if (depth > 32) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!freezeItem(value[i], depth)) return false;
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const key in value) if (Object.hasOwn(value, key) && !freezeItem((value as Record<string, unknown>)[key], depth)) return false;
  }
  Object.freeze(value);
  return true;
}

const freezeItem = (item: unknown, depth: number): boolean => item === null || typeof item !== "object" || freezePlain(item, depth + 1);

function copyFrozen<T>(value: T, depth: number, state: { plain: boolean }): T {
  if (value === null || typeof value !== "object") return value;
  if (sealed.has(value)) return value;
  const proto = Object.getPrototypeOf(value);
  // Deep (possibly cyclic) or non-plain values take the general path.
  if (depth > 32 || (!Array.isArray(value) && proto !== Object.prototype && proto !== null)) {
    state.plain = false;
    return deepFreeze(structuredClone(value));
  }
  if (Array.isArray(value)) return Object.freeze(value.map((v) => copyFrozen(v, depth + 1, state))) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copy = copyFrozen((value as Record<string, unknown>)[key], depth + 1, state);
    // A "__proto__" key (e.g. from JSON.parse) stays data, never a prototype.
    if (key === "__proto__") Object.defineProperty(out, key, { value: copy, enumerable: true });
    else out[key] = copy;
  }
  return Object.freeze(out) as T;
}
