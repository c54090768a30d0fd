import type { Permission } from "../core/index.js";
import type { StoreContext } from "./changes.js";
import { StoreNotFoundError, translateDbError } from "./errors.js";
import type { Role, RolePatch, RolesApi } from "./types.js";
import { assertPermissions, assertSlug, assertText, optionalText } from "./validate.js";

interface RoleRow {
  slug: string;
  name: string;
  description: string;
  permissions: Permission[] | string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = "slug, name, description, permissions, created_at, updated_at";

/** jsonb arrives parsed from both drivers; a string is tolerated in case a custom type parser is installed. @internal */
export function jsonArray<T>(value: T[] | string | null): T[] {
  if (value === null) return [];
  return typeof value === "string" ? (JSON.parse(value) as T[]) : value;
}

function toRole(row: RoleRow): Role {
  return {
    slug: row.slug,
    name: row.name,
    description: row.description,
    permissions: jsonArray(row.permissions),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkPatch(patch: RolePatch): RolePatch {
  if (patch === null || typeof patch !== "object") throw new TypeError("roles.update: patch must be an object.");
  const out: RolePatch = {};
  if (patch.name !== undefined) out.name = assertText(patch.name, "role name");
  if (patch.description !== undefined) out.description = optionalText(patch.description, "role description");
  if (patch.permissions !== undefined) out.permissions = assertPermissions(patch.permissions, "role permissions");
  return out;
}

/** Role CRUD. @internal */
export function createRolesApi(ctx: StoreContext): RolesApi {
  const { db } = ctx;
  return {
    async create(input) {
      const slug = assertSlug(input?.slug, "role slug");
      const name = assertText(input.name, "role name");
      const description = optionalText(input.description, "role description");
      const permissions = assertPermissions(input.permissions, "role permissions");
      const now = ctx.now();
      return ctx.mutate(async (tx) => {
        const { rows } = await tx
          .query<RoleRow>(
            `INSERT INTO gatehouse_roles (${COLUMNS}) VALUES ($1, $2, $3, $4::jsonb, $5, $5) RETURNING ${COLUMNS}`,
            [slug, name, description, JSON.stringify(permissions), now],
          )
          .catch((e: unknown) => translateDbError(e, `Role "${slug}"`));
        return { result: toRole(rows[0]!), changes: [{ kind: "role", id: slug }] };
      });
    },

    async get(slug) {
      const { rows } = await db.query<RoleRow>(`SELECT ${COLUMNS} FROM gatehouse_roles WHERE slug = $1`, [slug]);
      return rows[0] ? toRole(rows[0]) : null;
    },

    async list() {
      const { rows } = await db.query<RoleRow>(`SELECT ${COLUMNS} FROM gatehouse_roles ORDER BY slug`);
      return rows.map(toRole);
    },

    async update(slug, patch: RolePatch) {
      const p = checkPatch(patch);
      const permissions = p.permissions === undefined ? null : JSON.stringify(p.permissions);
      return ctx.mutate(async (tx) => {
        // One statement: concurrent patches of different fields never overwrite each other.
        const { rows } = await tx.query<RoleRow>(
          `UPDATE gatehouse_roles SET name = COALESCE($2, name), description = COALESCE($3, description),
             permissions = COALESCE($4::jsonb, permissions), updated_at = $5
           WHERE slug = $1 RETURNING ${COLUMNS}`,
          [slug, p.name ?? null, p.description ?? null, permissions, ctx.now()],
        );
        if (!rows[0]) throw new StoreNotFoundError(`No role "${String(slug)}".`);
        return { result: toRole(rows[0]), changes: [{ kind: "role", id: slug }] };
      });
    },

    async delete(slug) {
      return ctx.mutate(async (tx) => {
        const { rows } = await tx.query<{ slug: string }>("DELETE FROM gatehouse_roles WHERE slug = $1 RETURNING slug", [slug]);
        return { result: rows.length > 0, changes: rows.length > 0 ? [{ kind: "role", id: slug }] : [] };
      });
    },
  };
}
