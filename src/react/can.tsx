import type { ReactNode } from "react";
import type { EntityId, OwnableItem, PermissionsDefinition, PermissionsSchema } from "../permissions/index.js";
import type { CanAction } from "./check-action.js";
import { useCanRequest } from "./use-can.js";

/**
 * With no `definition` prop the schema is unknown at compile time, so any action
 * name is accepted (custom flags included) and checked against the provider's schema.
 */
type ShortFormAction<S extends PermissionsSchema> = PermissionsSchema extends S ? string & {} : never;

/** Props of {@link Can}. */
export interface CanProps<S extends PermissionsSchema = PermissionsSchema, E extends EntityId<S> = EntityId<S>> {
  /**
   * The `createPermissions` schema to check against.
   * @default the `definition` of the nearest `<SecurityProvider>`
   */
  definition?: PermissionsDefinition<S>;
  /** An entity id of the schema, e.g. `"recipe"`. */
  entity: E;
  /** `"access" | "read" | "create" | "edit" | "delete" | "publish" | "unpublish"` or a custom action of the entity. */
  action: CanAction<S, E> | ShortFormAction<S>;
  /**
   * The record in question; only `createdBy.id` is read (ownership under `own` scope).
   * @default undefined (a check about the entity in general, or a new record)
   */
  item?: OwnableItem | null;
  /**
   * Rendered when the check denies (or throws).
   * @default null
   */
  fallback?: ReactNode;
  /**
   * Rendered while the check resolves. Neither the children nor the fallback show
   * until the answer is known, so allowed content never flashes.
   * @default null
   */
  loading?: ReactNode;
  /** Rendered only when the check allows. */
  children?: ReactNode;
}

/**
 * Renders its children only when the current identity may do `action` on `entity`:
 * the same check the server makes with the same schema. Hiding a button is a
 * convenience, not protection; the API must still enforce it.
 * @throws Error outside `<SecurityProvider>`; TypeError without a `definition` (prop or provider).
 * @example
 * <Can definition={RecipePermissions} entity="recipe" action="edit" item={recipe} fallback={<span>Read only</span>}>
 *   <button type="button">Edit</button>
 * </Can>
 */
export function Can<S extends PermissionsSchema = PermissionsSchema, E extends EntityId<S> = EntityId<S>>(
  props: CanProps<S, E>,
): ReactNode {
  const allowed = useCanRequest({
    definition: props.definition,
    entity: props.entity,
    action: props.action,
    item: props.item,
  });
  if (allowed === undefined) return props.loading ?? null;
  return allowed ? (props.children ?? null) : (props.fallback ?? null);
}
