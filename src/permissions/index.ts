/**
 * Schema permissions (Webiny-style entity permissions): typed `canRead` / `canEdit` / ... checks over a security context.
 * @module
 */
export { createPermissions } from "./create-permissions.js";
export type { PermissionsDefinition } from "./create-permissions.js";
export type { RowAction } from "./row-filter.js";
export type {
  PermissionsSchema,
  EntitySchema,
  EntityActionSchema,
  OwnableItem,
  EntityId,
  CustomActionOf,
  EntityPermissions,
} from "./types.js";
