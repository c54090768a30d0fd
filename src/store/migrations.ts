import type { Migration } from "./types.js";

/**
 * gatehouse's own schema, one entry per version. Never edit an entry that has
 * shipped: add a new one. Kept as TS strings so the build copies no SQL files.
 * Unqualified names resolve through the store's `search_path` (its schema).
 * @internal
 */
export const GATEHOUSE_MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    id: "gatehouse/0001_init",
    sql: `
CREATE TABLE gatehouse_roles (
  slug text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  permissions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(permissions) = 'array'),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE gatehouse_groups (
  slug text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE gatehouse_group_roles (
  group_slug text NOT NULL REFERENCES gatehouse_groups (slug) ON DELETE CASCADE,
  role_slug text NOT NULL REFERENCES gatehouse_roles (slug) ON DELETE CASCADE,
  PRIMARY KEY (group_slug, role_slug)
);

CREATE TABLE gatehouse_identity_roles (
  identity_id text NOT NULL,
  role_slug text NOT NULL REFERENCES gatehouse_roles (slug) ON DELETE CASCADE,
  PRIMARY KEY (identity_id, role_slug)
);

CREATE TABLE gatehouse_identity_groups (
  identity_id text NOT NULL,
  group_slug text NOT NULL REFERENCES gatehouse_groups (slug) ON DELETE CASCADE,
  PRIMARY KEY (identity_id, group_slug)
);

CREATE TABLE gatehouse_api_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  owner_id text NOT NULL,
  hash text NOT NULL,
  permissions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(permissions) = 'array'),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX gatehouse_api_keys_owner ON gatehouse_api_keys (owner_id);

CREATE TABLE gatehouse_api_key_roles (
  key_id text NOT NULL REFERENCES gatehouse_api_keys (id) ON DELETE CASCADE,
  role_slug text NOT NULL REFERENCES gatehouse_roles (slug) ON DELETE CASCADE,
  PRIMARY KEY (key_id, role_slug)
);

CREATE TABLE gatehouse_users (
  id text PRIMARY KEY,
  username text NOT NULL,
  display_name text NOT NULL,
  email text,
  password_hash text NOT NULL,
  password_salt text NOT NULL,
  scrypt_n integer NOT NULL,
  scrypt_r integer NOT NULL,
  scrypt_p integer NOT NULL,
  scrypt_keylen integer NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX gatehouse_users_username ON gatehouse_users (lower(username));
`,
  },
  {
    id: "gatehouse/0002_session_revocations",
    sql: `
CREATE TABLE gatehouse_session_revocations (
  identity_id text PRIMARY KEY,
  revoked_at timestamptz NOT NULL
);
`,
  },
]);
