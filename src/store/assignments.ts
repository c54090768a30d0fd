import type { Permission } from "../core/index.js";
import type { StoreContext } from "./changes.js";
import { translateDbError } from "./errors.js";
import { assertExisting } from "./groups.js";
import { jsonArray } from "./roles.js";
import type { AssignmentInput, AssignmentsApi, Db } from "./types.js";
import { assertSlugList, assertText } from "./validate.js";

function checkInput(identityId: unknown, input: AssignmentInput | undefined): { id: string; roles: string[]; groups: string[] } {
  const id = assertText(identityId, "identityId", 500);
  if (input === null || typeof input !== "object") throw new TypeError("assignments: the second argument must be { roles?, groups? }.");
  return { id, roles: assertSlugList(input.roles, "roles"), groups: assertSlugList(input.groups, "groups") };
}

/**
 * Role slugs an identity holds directly or through its groups.
 * Used by `permissionsFor`, `rolesFor` and the authorizer so all three agree.
 * @internal
 */
export const ROLES_OF_IDENTITY = `
  SELECT role_slug FROM gatehouse_identity_roles WHERE identity_id = $1
  UNION
  SELECT gr.role_slug FROM gatehouse_identity_groups ig
    JOIN gatehouse_group_roles gr ON gr.group_slug = ig.group_slug
   WHERE ig.identity_id = $1`;

/** Permissions of an identity's roles, in one query; identical permission objects are listed once. @internal */
export async function permissionsOf(db: Db, identityId: string): Promise<Permission[]> {
  const { rows } = await db.query<{ permissions: Permission[] | string }>(
    `SELECT permissions FROM gatehouse_roles WHERE slug IN (${ROLES_OF_IDENTITY}) ORDER BY slug`,
    [identityId],
  );
  return dedupe(rows.flatMap((r) => jsonArray(r.permissions)));
}

/** @internal */
export function dedupe(permissions: Permission[]): Permission[] {
  // jsonb normalises key order, so equal objects serialise equally.
  const seen = new Set<string>();
  return permissions.filter((p) => {
    const key = JSON.stringify(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** @internal */
export async function rolesOf(db: Db, identityId: string): Promise<string[]> {
  const { rows } = await db.query<{ role_slug: string }>(`SELECT role_slug FROM (${ROLES_OF_IDENTITY}) r ORDER BY role_slug`, [identityId]);
  return rows.map((r) => r.role_slug);
}

/**
 * Assignments are one row per (identity, role) and (identity, group), written with
 * `ON CONFLICT DO NOTHING` / plain deletes: concurrent changes never lose each other.
 * @internal
 */
export function createAssignmentsApi(ctx: StoreContext): AssignmentsApi {
  return {
    async assign(identityId, input) {
      const { id, roles, groups } = checkInput(identityId, input);
      await ctx.mutate(async (tx) => {
        await assertExisting(tx, "gatehouse_roles", roles);
        await assertExisting(tx, "gatehouse_groups", groups);
        const what = `An assignment of "${id}"`;
        await tx
          .query(
            `INSERT INTO gatehouse_identity_roles (identity_id, role_slug) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
            [id, roles],
          )
          .catch((e: unknown) => translateDbError(e, what));
        await tx
          .query(
            `INSERT INTO gatehouse_identity_groups (identity_id, group_slug) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
            [id, groups],
          )
          .catch((e: unknown) => translateDbError(e, what));
        return { result: undefined, changes: [{ kind: "assignment", id }] };
      });
    },

    async unassign(identityId, input) {
      const { id, roles, groups } = checkInput(identityId, input);
      await ctx.mutate(async (tx) => {
        await tx.query("DELETE FROM gatehouse_identity_roles WHERE identity_id = $1 AND role_slug = ANY($2::text[])", [id, roles]);
        await tx.query("DELETE FROM gatehouse_identity_groups WHERE identity_id = $1 AND group_slug = ANY($2::text[])", [id, groups]);
        return { result: undefined, changes: [{ kind: "assignment", id }] };
      });
    },

    async list(identityId) {
      const [roles, groups] = await Promise.all([
        ctx.db.query<{ s: string }>("SELECT role_slug AS s FROM gatehouse_identity_roles WHERE identity_id = $1 ORDER BY 1", [identityId]),
        ctx.db.query<{ s: string }>("SELECT group_slug AS s FROM gatehouse_identity_groups WHERE identity_id = $1 ORDER BY 1", [identityId]),
      ]);
      return { roles: roles.rows.map((r) => r.s), groups: groups.rows.map((r) => r.s) };
    },
  };
}
