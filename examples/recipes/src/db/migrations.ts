import type { Migration } from "gatehouse/store";

/**
 * The example's own tables, applied by the store after gatehouse's. Never
 * edit a shipped entry: add a new one. Unqualified names follow the store's schema.
 */
export const RECIPES_MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    id: "recipes/0001_init",
    sql: `
CREATE TABLE recipes (
  id text PRIMARY KEY,
  title text NOT NULL,
  ingredients jsonb NOT NULL CHECK (jsonb_typeof(ingredients) = 'array'),
  steps jsonb NOT NULL CHECK (jsonb_typeof(steps) = 'array'),
  published boolean NOT NULL DEFAULT false,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX recipes_created_by ON recipes (created_by);
CREATE INDEX recipes_published ON recipes (published);

-- One row per slot: two processes starting at once on an empty database
-- converge on the same key (INSERT ... ON CONFLICT DO NOTHING, then read it back).
CREATE TABLE recipes_signing_keys (
  slot text PRIMARY KEY,
  kid text NOT NULL UNIQUE,
  alg text NOT NULL,
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
`,
  },
]);
