import type { SecurityContext } from "../core/index.js";
import type {
  CustomActionOf,
  EntityId,
  EntityPermissions,
  OwnableItem,
  PermissionsDefinition,
  PermissionsSchema,
} from "../permissions/index.js";

/** The built-in actions `useCan` / `<Can>` understand, each mapped to one `canX` check. */
export type BuiltInAction = "access" | "read" | "create" | "edit" | "delete" | "publish" | "unpublish";

/** An action on entity `E` of schema `S`: a built-in one or a custom flag the schema declares. */
export type CanAction<S extends PermissionsSchema, E extends EntityId<S>> = BuiltInAction | CustomActionOf<S, E>;

/** Any compiled permission schema (the short forms cannot know which one). @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPermissionsDefinition = PermissionsDefinition<any>;

type Check = (perms: EntityPermissions<PermissionsSchema>, entity: string, item: OwnableItem | null | undefined) => Promise<boolean>;

// Only items matter for access/edit/delete; the others ignore them, exactly like the server-side checks.
const builtIns: Record<BuiltInAction, Check> = {
  access: (p, e, item) => p.canAccess(e, item),
  read: (p, e) => p.canRead(e),
  create: (p, e) => p.canCreate(e),
  edit: (p, e, item) => p.canEdit(e, item),
  delete: (p, e, item) => p.canDelete(e, item),
  publish: (p, e) => p.canPublish(e),
  unpublish: (p, e) => p.canUnpublish(e),
};

/** True for the names `useCan` maps to a built-in check rather than a custom flag. */
export function isBuiltInAction(action: string): action is BuiltInAction {
  return Object.prototype.hasOwnProperty.call(builtIns, action);
}

/**
 * Runs one permission check, exactly as the server would with the same schema.
 * Never throws synchronously: a bad entity id or a failing check rejects the promise.
 * @internal
 */
export function checkAction(
  definition: AnyPermissionsDefinition,
  ctx: SecurityContext,
  entity: string,
  action: string,
  item?: OwnableItem | null,
): Promise<boolean> {
  return Promise.resolve().then(() => {
    const perms = definition.for(ctx) as EntityPermissions<PermissionsSchema>;
    if (isBuiltInAction(action)) return builtIns[action](perms, entity, item);
    // Custom actions are boolean flags on the permission object (e.g. `approve: true`).
    return perms.canAction(action as never, entity);
  });
}

/**
 * The part of an item a check depends on: whether it is there and who created it.
 * Keys `useCan`'s cache so a fresh-but-equal item object does not trigger a new check.
 * @internal
 */
export function itemKey(item: OwnableItem | null | undefined): string {
  if (item == null) return "-";
  const owner = item.createdBy;
  if (owner == null) return "nobody";
  return typeof owner.id === "string" ? `owner:${owner.id}` : "nobody";
}
