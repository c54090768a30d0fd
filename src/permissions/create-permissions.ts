import type { SecurityContext } from "../core/security-context.js";
import type { Permission } from "../core/types.js";
import { hasLetter, hasPw, hasValidOwn, isOwn, ownProp, ownsItem } from "./own-props.js";
import { rowFilter } from "./row-filter.js";
import type { EntityPermissions, EntitySchema, OwnableItem, PermissionsSchema } from "./types.js";

/** A compiled permission schema: bind it to a request with `.for(ctx)`. */
export interface PermissionsDefinition<S extends PermissionsSchema> {
  readonly schema: S;
  /** Checks bound to one request's security context. */
  for(ctx: SecurityContext): EntityPermissions<S>;
}

/**
 * Declares a schema of entity permissions (Webiny-style).
 * Every check applies a 3-tier bypass: `{ name: "*" }`, then the schema's
 * `fullAccess`, then the entity's own permissions (several are OR-ed).
 * @throws TypeError when the schema is malformed (duplicate ids, missing permission names).
 * @example
 * const RecipePermissions = createPermissions({
 *   prefix: "recipes", fullAccess: { name: "recipes.*" },
 *   entities: [{ id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"],
 *                actions: [{ name: "rwd" }, { name: "pw" }] }],
 * } as const);
 * await RecipePermissions.for(ctx).canEdit("recipe", recipe);
 */
export function createPermissions<const S extends PermissionsSchema>(schema: S): PermissionsDefinition<S> {
  const entities = indexEntities(schema);
  const fullAccess = ownProp(schema, "fullAccess");
  const fullAccessName = fullAccess !== null && typeof fullAccess === "object" ? ownProp(fullAccess, "name") : undefined;

  return Object.freeze({
    schema,
    for(ctx: SecurityContext): EntityPermissions<S> {
      const identityId = ctx.identity?.id;

      /** Resolves the entity (throwing on unknown ids even under bypass) and its permissions, or `"all"`. */
      const resolve = (entityId: string): readonly Permission[] | "all" => {
        const entity = entities.get(entityId);
        if (!entity) throw new TypeError(`Unknown entity "${entityId}" in permission schema "${schema.prefix}".`);
        if (ctx.hasFullAccess()) return "all";
        const all = ctx.getPermissions();
        if (typeof fullAccessName === "string" && all.some((p) => ownProp(p, "name") === fullAccessName)) return "all";
        return all.filter((p) => ownProp(p, "name") === entity.permission && hasValidOwn(p));
      };

      const owns = (item: OwnableItem | null | undefined): boolean => ownsItem(item, identityId);

      /** Runs `test` on the entity's permissions; `bypass` is the answer under full access. */
      const check = (entityId: string, test: (perms: readonly Permission[]) => boolean, bypass = true): Promise<boolean> => {
        try {
          const perms = resolve(entityId);
          return Promise.resolve(perms === "all" ? bypass : test(perms));
        } catch (error) {
          return Promise.reject(error);
        }
      };

      return Object.freeze({
        canAccess: (entity, item) =>
          check(entity, (perms) => perms.some((p) => item == null || !isOwn(p) || owns(item))),
        // Full access is never limited to own records.
        onlyOwnRecords: (entity) => check(entity, (perms) => perms.length > 0 && perms.every(isOwn), false),
        canRead: (entity) => check(entity, (perms) => perms.some((p) => hasLetter(p, "rwd", "r"))),
        canCreate: (entity) => check(entity, (perms) => perms.some((p) => hasLetter(p, "rwd", "w"))),
        canEdit: (entity, item) =>
          check(entity, (perms) =>
            // Under own scope with no item the record is new/unsaved, so editing is allowed.
            perms.some((p) => hasLetter(p, "rwd", "w") && (!isOwn(p) || item == null || owns(item))),
          ),
        canDelete: (entity, item) =>
          check(entity, (perms) =>
            // Under own scope deletion needs the item to prove ownership (no item, no delete).
            perms.some((p) => hasLetter(p, "rwd", "d") && (!isOwn(p) || (item != null && owns(item)))),
          ),
        canPublish: (entity) => check(entity, (perms) => perms.some((p) => hasPw(p, "p"))),
        canUnpublish: (entity) => check(entity, (perms) => perms.some((p) => hasPw(p, "u"))),
        canAction: (action, entity) => check(entity, (perms) => perms.some((p) => ownProp(p, action as string) === true)),
        filter: (entity, action) => rowFilter(resolve(entity), action, identityId),
      } satisfies EntityPermissions<S>);
    },
  });
}

function indexEntities(schema: PermissionsSchema): Map<string, EntitySchema> {
  if (!schema || typeof schema.prefix !== "string" || !Array.isArray(schema.entities)) {
    throw new TypeError("createPermissions: schema needs a string `prefix` and an `entities` array.");
  }
  const map = new Map<string, EntitySchema>();
  schema.entities.forEach((entity, i) => {
    if (typeof entity?.id !== "string" || entity.id === "") throw new TypeError(`createPermissions: entities[${i}].id must be a non-empty string.`);
    if (typeof entity.permission !== "string" || entity.permission === "") {
      throw new TypeError(`createPermissions: entities[${i}].permission must be a non-empty string.`);
    }
    if (map.has(entity.id)) throw new TypeError(`createPermissions: duplicate entity id "${entity.id}".`);
    map.set(entity.id, entity);
  });
  return map;
}
