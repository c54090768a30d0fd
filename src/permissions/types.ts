import type { Filter } from "../filter/types.js";
import type { RowAction } from "./row-filter.js";

/** One action an entity supports: built-ins `rwd` (read/write/delete) and `pw` (publish/unpublish), or a custom boolean flag. */
export interface EntityActionSchema {
  readonly name: string;
}

/** One entity of a permission schema. */
export interface EntitySchema {
  /** Used in method calls: `canRead("recipe")`. */
  readonly id: string;
  /** The permission name held by identities, e.g. `"recipes.recipe"`. */
  readonly permission: string;
  /** `"full"`: all records; `"own"`: records whose `createdBy.id` is the caller's. @default ["full"] */
  readonly scopes?: readonly ("full" | "own")[];
  /** @default [] */
  readonly actions?: readonly EntityActionSchema[];
}

/** A permission schema, declared `as const` so entity ids and actions are type-checked. */
export interface PermissionsSchema {
  /** Namespace of the schema's permissions, e.g. `"recipes"`. */
  readonly prefix: string;
  /** Holding a permission with this name grants everything in the schema. */
  readonly fullAccess?: { readonly name: string };
  readonly entities: readonly EntitySchema[];
}

/** Something that may be owned: `createdBy.id` is compared with the caller's identity id. */
export interface OwnableItem {
  createdBy?: { id: string } | null;
  [key: string]: unknown;
}

/** Entity ids of schema `S`. */
export type EntityId<S extends PermissionsSchema> = S["entities"][number]["id"];

type EntityOf<S extends PermissionsSchema, E extends EntityId<S>> = Extract<S["entities"][number], { id: E }>;

/** Custom (boolean-flag) action names declared for entity `E`. */
export type CustomActionOf<S extends PermissionsSchema, E extends EntityId<S>> =
  EntityOf<S, E> extends { actions: readonly (infer A)[] }
    ? A extends { name: infer N extends string }
      ? Exclude<N, "rwd" | "pw">
      : never
    : never;

/** The permission checks of one schema, bound to one request's security context. */
export interface EntityPermissions<S extends PermissionsSchema> {
  /** Without an item: any entity permission exists. With an item: and, under `own`, the caller created it. */
  canAccess(entity: EntityId<S>, item?: OwnableItem | null): Promise<boolean>;
  /** True only when every matching permission is `own` (filter lists by `createdBy`). */
  onlyOwnRecords(entity: EntityId<S>): Promise<boolean>;
  /** `rwd` contains `r` (no `rwd` = unrestricted). */
  canRead(entity: EntityId<S>): Promise<boolean>;
  /** `rwd` contains `w`. */
  canCreate(entity: EntityId<S>): Promise<boolean>;
  /** `rwd` contains `w`; under `own`, the item must be the caller's (no item = allowed, for new records). */
  canEdit(entity: EntityId<S>, item?: OwnableItem | null): Promise<boolean>;
  /** `rwd` contains `d`; under `own`, the item is required and must be the caller's. */
  canDelete(entity: EntityId<S>, item?: OwnableItem | null): Promise<boolean>;
  /** `pw` contains `p` (no `pw` = no publishing). */
  canPublish(entity: EntityId<S>): Promise<boolean>;
  /** `pw` contains `u`. */
  canUnpublish(entity: EntityId<S>): Promise<boolean>;
  /** A custom flag: some matching permission has `[action] === true`. */
  canAction<E extends EntityId<S>>(action: CustomActionOf<S, E>, entity: E): Promise<boolean>;
  /**
   * The rows for which a check is true, as a filter for `toSql` /
   * `toPredicate` (`gatehouse/filter`); synchronous. Over the row's
   * `createdBy.id`:
   * `"read"` ≡ `canRead(entity) && canAccess(entity, row)`,
   * `"edit"` ≡ `canEdit(entity, row)`, `"delete"` ≡ `canDelete(entity, row)`,
   * `"publish"` / `"unpublish"` ≡ `canPublish` / `canUnpublish(entity) && canAccess(entity, row)`.
   * @throws TypeError on an unknown entity or action (a programming error).
   * @example
   * const { text, values } = toSql(perms.filter("recipe", "read"), { columns: { "createdBy.id": "created_by" } });
   */
  filter(entity: EntityId<S>, action: RowAction): Filter;
}
