/**
 * Row filters from schema permissions: the rows for which a check is true,
 * as a filter the database can apply (`toSql`) instead of loading every row
 * and checking it.
 * @module
 */
import type { Permission } from "../core/types.js";
import type { Filter } from "../filter/types.js";
import { hasLetter, hasPw, isOwn } from "./own-props.js";

/** The checks a row filter can stand for. */
export type RowAction = "read" | "edit" | "delete" | "publish" | "unpublish";

const ROW_ACTIONS: ReadonlySet<string> = new Set(["read", "edit", "delete", "publish", "unpublish"]);

const ALL: Filter = Object.freeze({ kind: "all" });
const NONE: Filter = Object.freeze({ kind: "none" });

/** Does this permission let the action through at all (before ownership)? */
function grants(p: Permission, action: RowAction): boolean {
  switch (action) {
    case "read":
      return hasLetter(p, "rwd", "r");
    case "edit":
      return hasLetter(p, "rwd", "w");
    case "delete":
      return hasLetter(p, "rwd", "d");
    case "publish":
      return hasPw(p, "p");
    case "unpublish":
      return hasPw(p, "u");
  }
}

/** Rows the caller owns (`createdBy.id` is theirs); none for anonymous callers. */
function owned(identityId: unknown): Filter {
  return typeof identityId === "string" ? { kind: "where", where: { op: "eq", field: "createdBy.id", value: identityId } } : NONE;
}

/**
 * The filter for one action over the entity's permissions (`"all"` under a
 * bypass). Mirrors the checks:
 * - read ≡ `canRead && canAccess(row)`, publish / unpublish ≡
 *   `canPublish` / `canUnpublish` `&& canAccess(row)`: the action needs one
 *   permission that grants it, and the row needs one permission that is not
 *   `own`, or ownership;
 * - edit ≡ `canEdit(row)`, delete ≡ `canDelete(row)`: one permission must
 *   grant the action and, if it is `own`, the row must be the caller's.
 * @throws TypeError on an unknown action.
 * @internal
 */
export function rowFilter(perms: readonly Permission[] | "all", action: string, identityId: unknown): Filter {
  if (!ROW_ACTIONS.has(action)) {
    throw new TypeError(`Unknown row action "${action}"; use one of ${[...ROW_ACTIONS].join(", ")}.`);
  }
  const a = action as RowAction;
  if (perms === "all") return ALL;
  if (a === "edit" || a === "delete") {
    const granting = perms.filter((p) => grants(p, a));
    if (granting.some((p) => !isOwn(p))) return ALL;
    return granting.length > 0 ? owned(identityId) : NONE;
  }
  if (!perms.some((p) => grants(p, a))) return NONE;
  // canAccess(row): any permission that is not own-scoped reaches every row.
  return perms.some((p) => !isOwn(p)) ? ALL : owned(identityId);
}
