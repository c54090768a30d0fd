import type { Identity, Permission } from "../core/index.js";
import { generateApiKey } from "../http/api-key-format.js";
import type { StoreContext } from "./changes.js";
import { translateDbError } from "./errors.js";
import { assertExisting } from "./groups.js";
import { jsonArray } from "./roles.js";
import type { ApiKeyInfo, ApiKeysApi, Db, StoreApiKeyRecord } from "./types.js";
import { assertPermissions, assertSlugList, assertText, optionalDate } from "./validate.js";

interface KeyRow {
  id: string;
  name: string;
  owner_id: string;
  permissions: Permission[] | string;
  roles: string[] | null;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

// The hash is deliberately not in this list: only `lookup` reads it.
const SELECT = `SELECT k.id, k.name, k.owner_id, k.permissions, k.created_at, k.last_used_at, k.expires_at, k.revoked_at,
  ARRAY(SELECT kr.role_slug FROM gatehouse_api_key_roles kr WHERE kr.key_id = k.id ORDER BY kr.role_slug) AS roles
  FROM gatehouse_api_keys k`;

function toInfo(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    permissions: jsonArray(row.permissions),
    roles: row.roles ?? [],
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** The identity an API key authenticates as. @internal */
export function keyIdentity(info: Pick<ApiKeyInfo, "id" | "name" | "ownerId" | "roles">): Identity {
  return { id: info.ownerId, type: "apiKey", keyId: info.id, displayName: info.name, roles: [...info.roles] };
}

/**
 * What an API key grants, for the authorizer. A key with its own permissions or roles is
 * scoped to exactly those; a key with neither acts as its owner (`scoped: false`).
 * A missing, revoked or expired key grants nothing.
 * @internal
 */
export async function keyGrant(db: Db, keyId: string, now: Date): Promise<{ scoped: boolean; permissions: Permission[] }> {
  const { rows } = await db.query<KeyRow>(`${SELECT} WHERE k.id = $1`, [keyId]);
  const row = rows[0];
  if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at.getTime() <= now.getTime())) {
    return { scoped: true, permissions: [] };
  }
  const own = jsonArray(row.permissions);
  const roles = row.roles ?? [];
  if (own.length === 0 && roles.length === 0) return { scoped: false, permissions: [] };
  const fromRoles = await db.query<{ permissions: Permission[] | string }>(
    "SELECT permissions FROM gatehouse_roles WHERE slug = ANY($1::text[]) ORDER BY slug",
    [roles],
  );
  return { scoped: true, permissions: [...own, ...fromRoles.rows.flatMap((r) => jsonArray(r.permissions))] };
}

/** API keys: created once with their secret shown, stored hashed. @internal */
export function createApiKeysApi(ctx: StoreContext): ApiKeysApi {
  const { db } = ctx;
  return {
    async create(input) {
      const name = assertText(input?.name, "API key name");
      const ownerId = assertText(input.ownerId, "API key ownerId", 500);
      const permissions = input.permissions === undefined ? [] : assertPermissions(input.permissions, "API key permissions");
      const roles = assertSlugList(input.roles, "API key roles");
      const expiresAt = optionalDate(input.expiresAt, "API key expiresAt");
      const createdAt = ctx.now();
      const material = generateApiKey();
      return ctx.mutate(async (tx) => {
        await assertExisting(tx, "gatehouse_roles", roles);
        await tx
          .query(
            `INSERT INTO gatehouse_api_keys (id, name, owner_id, hash, permissions, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
            [material.id, name, ownerId, material.hash, JSON.stringify(permissions), createdAt, expiresAt],
          )
          .catch((e: unknown) => translateDbError(e, "API key"));
        await tx.query("INSERT INTO gatehouse_api_key_roles (key_id, role_slug) SELECT $1, unnest($2::text[])", [material.id, roles]);
        const result = { id: material.id, key: material.key, name, ownerId, createdAt, expiresAt };
        return { result, changes: [{ kind: "apiKey", id: material.id }] };
      });
    },

    async lookup(id): Promise<StoreApiKeyRecord | null> {
      if (typeof id !== "string" || id === "") return null;
      const { rows } = await db.query<KeyRow & { hash: string }>(`${SELECT.replace("SELECT k.id,", "SELECT k.id, k.hash,")} WHERE k.id = $1`, [
        id,
      ]);
      const row = rows[0];
      if (!row) return null;
      const record: StoreApiKeyRecord = { id: row.id, hash: row.hash, identity: keyIdentity(toInfo(row)), revoked: row.revoked_at !== null };
      if (row.expires_at !== null) record.expiresAt = row.expires_at;
      return record;
    },

    async revoke(id) {
      return ctx.mutate(async (tx) => {
        const { rows } = await tx.query("UPDATE gatehouse_api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id", [
          id,
          ctx.now(),
        ]);
        return { result: rows.length > 0, changes: rows.length > 0 ? [{ kind: "apiKey", id }] : [] };
      });
    },

    async list(ownerId) {
      const { rows } =
        ownerId === undefined
          ? await db.query<KeyRow>(`${SELECT} ORDER BY k.created_at, k.id`)
          : await db.query<KeyRow>(`${SELECT} WHERE k.owner_id = $1 ORDER BY k.created_at, k.id`, [ownerId]);
      return rows.map(toInfo);
    },

    async touch(id) {
      // Not a change event: it would flush every node's cache on every request.
      await db.query("UPDATE gatehouse_api_keys SET last_used_at = $2 WHERE id = $1", [id, ctx.now()]);
    },
  };
}
