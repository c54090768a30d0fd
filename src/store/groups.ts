import type { StoreContext } from "./changes.js";
import { StoreNotFoundError, translateDbError } from "./errors.js";
import type { Db, Group, GroupPatch, GroupsApi } from "./types.js";
import { assertSlug, assertSlugList, assertText, optionalText } from "./validate.js";

interface GroupRow {
  slug: string;
  name: string;
  description: string;
  roles: string[] | null;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT g.slug, g.name, g.description, g.created_at, g.updated_at,
  ARRAY(SELECT gr.role_slug FROM gatehouse_group_roles gr WHERE gr.group_slug = g.slug ORDER BY gr.role_slug) AS roles
  FROM gatehouse_groups g`;

function toGroup(row: GroupRow): Group {
  return {
    slug: row.slug,
    name: row.name,
    description: row.description,
    roles: row.roles ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Checks every slug exists in `table` (inside the caller's transaction).
 * @throws StoreNotFoundError naming the unknown slugs.
 * @internal
 */
export async function assertExisting(tx: Db, table: "gatehouse_roles" | "gatehouse_groups", slugs: string[]): Promise<void> {
  if (slugs.length === 0) return;
  const { rows } = await tx.query<{ slug: string }>(`SELECT slug FROM ${table} WHERE slug = ANY($1::text[])`, [slugs]);
  const found = new Set(rows.map((r) => r.slug));
  const missing = slugs.filter((s) => !found.has(s));
  if (missing.length > 0) {
    const what = table === "gatehouse_roles" ? "role" : "group";
    throw new StoreNotFoundError(`Unknown ${what}${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`);
  }
}

async function setRoles(tx: Db, slug: string, roles: string[]): Promise<void> {
  await assertExisting(tx, "gatehouse_roles", roles);
  await tx.query("DELETE FROM gatehouse_group_roles WHERE group_slug = $1", [slug]);
  await tx
    .query("INSERT INTO gatehouse_group_roles (group_slug, role_slug) SELECT $1, unnest($2::text[])", [slug, roles])
    .catch((e: unknown) => translateDbError(e, `Group "${slug}"`));
}

/** Group CRUD; a group's roles are replaced as a whole on update. @internal */
export function createGroupsApi(ctx: StoreContext): GroupsApi {
  const { db } = ctx;
  const read = async (q: Db, slug: string) => (await q.query<GroupRow>(`${SELECT} WHERE g.slug = $1`, [slug])).rows[0];

  return {
    async create(input) {
      const slug = assertSlug(input?.slug, "group slug");
      const name = assertText(input.name, "group name");
      const description = optionalText(input.description, "group description");
      const roles = assertSlugList(input.roles, "group roles");
      const now = ctx.now();
      return ctx.mutate(async (tx) => {
        await tx
          .query("INSERT INTO gatehouse_groups (slug, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)", [
            slug,
            name,
            description,
            now,
          ])
          .catch((e: unknown) => translateDbError(e, `Group "${slug}"`));
        await setRoles(tx, slug, roles);
        return { result: toGroup((await read(tx, slug))!), changes: [{ kind: "group", id: slug }] };
      });
    },

    async get(slug) {
      const row = await read(db, slug);
      return row ? toGroup(row) : null;
    },

    async list() {
      const { rows } = await db.query<GroupRow>(`${SELECT} ORDER BY g.slug`);
      return rows.map(toGroup);
    },

    async update(slug, patch: GroupPatch) {
      if (patch === null || typeof patch !== "object") throw new TypeError("groups.update: patch must be an object.");
      const name = patch.name === undefined ? null : assertText(patch.name, "group name");
      const description = patch.description === undefined ? null : optionalText(patch.description, "group description");
      const roles = patch.roles === undefined ? undefined : assertSlugList(patch.roles, "group roles");
      return ctx.mutate(async (tx) => {
        const { rows } = await tx.query(
          `UPDATE gatehouse_groups SET name = COALESCE($2, name), description = COALESCE($3, description), updated_at = $4
           WHERE slug = $1 RETURNING slug`,
          [slug, name, description, ctx.now()],
        );
        if (rows.length === 0) throw new StoreNotFoundError(`No group "${String(slug)}".`);
        if (roles !== undefined) await setRoles(tx, slug, roles);
        return { result: toGroup((await read(tx, slug))!), changes: [{ kind: "group", id: slug }] };
      });
    },

    async delete(slug) {
      return ctx.mutate(async (tx) => {
        const { rows } = await tx.query("DELETE FROM gatehouse_groups WHERE slug = $1 RETURNING slug", [slug]);
        return { result: rows.length > 0, changes: rows.length > 0 ? [{ kind: "group", id: slug }] : [] };
      });
    },
  };
}
