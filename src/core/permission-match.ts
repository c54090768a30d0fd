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
