import type { Permission } from "../core/index.js";

/**
 * Turns permission objects as an API sent them into the shape the checks expect.
 *
 * GraphQL answers an absent optional field with `null` (`{ name, own: null, rwd: null, pw: null }`),
 * but the checks read `rwd: null` as "grants nothing" and only a missing `rwd` as "unrestricted"
 * (`createPermissions`' semantics). Dropping `null` properties restores what the server holds. Entries without a
 * string `name` are dropped too (they could never match anything).
 * @example
 * const { me } = await gql(`{ me { id permissions { name own rwd pw } } }`);
 * <SecurityProvider identity={me} permissions={normalizePermissions(me.permissions)} />
 */
export function normalizePermissions(list: readonly unknown[] | null | undefined): Permission[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry): Permission[] => {
    if (entry === null || typeof entry !== "object") return [];
    const props = Object.entries(entry as Record<string, unknown>).filter(([, value]) => value != null);
    const permission = Object.fromEntries(props) as Partial<Permission>;
    return typeof permission.name === "string" && permission.name !== "" ? [permission as Permission] : [];
  });
}
