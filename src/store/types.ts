import type { Permission } from "../core/index.js";
import type { ApiKeyRecord } from "../http/api-key-authenticator.js";

/** The one query interface over PGlite and `pg`: parameterised SQL only (`$1`, `$2`, ...). */
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Nested calls join the outer one. */
  transaction<R>(fn: (db: Db) => Promise<R>): Promise<R>;
}

/** One migration: a stable id (applied once, in array order) and its SQL. */
export interface Migration {
  id: string;
  sql: string;
}

/** Scrypt cost parameters; stored per password row so they can be raised later. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. @default 32768 */
  N: number;
  /** Block size. @default 8 */
  r: number;
  /** Parallelism. @default 1 */
  p: number;
  /** Derived key length in bytes. @default 64 */
  keylen: number;
}

/** Options for `createStore`. */
export interface StoreOptions {
  /**
   * Where the data lives: `undefined` or `"memory://"` → PGlite in memory; a directory path or
   * `"file://<dir>"` → PGlite on disk; `"postgres://..."` / `"postgresql://..."` → a `pg` pool.
   * @default undefined (in memory)
   */
  url?: string;
  /** Postgres schema holding the tables, created if missing (lets tests isolate). @default "public" */
  schema?: string;
  /** The application's own migrations, applied after gatehouse's in the same way. @default [] */
  migrations?: readonly Migration[];
  /** Cross-process invalidation through Postgres `LISTEN/NOTIFY` (ignored on PGlite). @default true */
  notify?: boolean;
  /** Clock, injectable for tests. @default () => new Date() */
  now?: () => Date;
  /** Scrypt parameters for new password hashes (existing rows keep theirs). @default { N: 32768, r: 8, p: 1, keylen: 64 } */
  scrypt?: Partial<ScryptParams>;
  /** Maximum connections of the `pg` pool (Postgres only). @default 10 */
  poolSize?: number;
}

/** A named list of permissions. */
export interface Role {
  slug: string;
  name: string;
  description: string;
  permissions: Permission[];
  createdAt: Date;
  updatedAt: Date;
}

/** A named set of roles (a team). */
export interface Group {
  slug: string;
  name: string;
  description: string;
  roles: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface RoleInput {
  slug: string;
  name: string;
  description?: string;
  permissions: Permission[];
}
export type RolePatch = Partial<Omit<RoleInput, "slug">>;

export interface GroupInput {
  slug: string;
  name: string;
  description?: string;
  roles: string[];
}
export type GroupPatch = Partial<Omit<GroupInput, "slug">>;

/** Roles and groups given to (or taken from) an identity. */
export interface AssignmentInput {
  roles?: string[];
  groups?: string[];
}

export interface ApiKeyInput {
  /** Human label, e.g. "CI deploy key". */
  name: string;
  /** Identity id the key acts for; becomes `identity.id`. */
  ownerId: string;
  /** Permissions of the key itself. */
  permissions?: Permission[];
  /** Roles of the key itself. */
  roles?: string[];
  expiresAt?: Date | null;
}

/** What `apiKeys.create` returns: the only time `key` is ever visible. */
export interface CreatedApiKey {
  id: string;
  /** The full key to hand to the client. Not stored; cannot be shown again. */
  key: string;
  name: string;
  ownerId: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** An API key as listed: never the hash, never the key. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  ownerId: string;
  permissions: Permission[];
  roles: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** What `apiKeyAuthenticator` needs: `gatehouse/http`'s `ApiKeyRecord`. */
export type StoreApiKeyRecord = ApiKeyRecord;

/** A user of the example app. The password hash never leaves the store. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  createdAt: Date;
}

export interface UserInput {
  username: string;
  password: string;
  displayName: string;
  email?: string | null;
}

/**
 * What changed; `id` is the slug, identity id, key id or user id (`"*"`: anything of that kind may have changed).
 * `session`: the identity's sessions were revoked (`id` is the identity id).
 */
export interface StoreChange {
  kind: "role" | "group" | "assignment" | "apiKey" | "user" | "session";
  id: string;
}

export interface RolesApi {
  /** @throws StoreInputError (`INVALID_INPUT`), StoreConflictError (`CONFLICT`) for a duplicate slug. */
  create(input: RoleInput): Promise<Role>;
  get(slug: string): Promise<Role | null>;
  list(): Promise<Role[]>;
  /** @throws StoreNotFoundError (`NOT_FOUND`) when no role has that slug. */
  update(slug: string, patch: RolePatch): Promise<Role>;
  /** Deletes the role and every assignment of it. @returns whether a role was deleted. */
  delete(slug: string): Promise<boolean>;
}

export interface GroupsApi {
  /** @throws StoreInputError, StoreConflictError, StoreNotFoundError (`NOT_FOUND`) for an unknown role. */
  create(input: GroupInput): Promise<Group>;
  get(slug: string): Promise<Group | null>;
  list(): Promise<Group[]>;
  update(slug: string, patch: GroupPatch): Promise<Group>;
  delete(slug: string): Promise<boolean>;
}

export interface AssignmentsApi {
  /** Idempotent. @throws StoreNotFoundError (`NOT_FOUND`) for an unknown role or group (nothing is assigned then). */
  assign(identityId: string, input: AssignmentInput): Promise<void>;
  /** Idempotent; unknown slugs are ignored. */
  unassign(identityId: string, input: AssignmentInput): Promise<void>;
  list(identityId: string): Promise<{ roles: string[]; groups: string[] }>;
}

export interface ApiKeysApi {
  create(input: ApiKeyInput): Promise<CreatedApiKey>;
  /** For `apiKeyAuthenticator({ lookup })`. */
  lookup(id: string): Promise<StoreApiKeyRecord | null>;
  /** @returns whether an active key was revoked. */
  revoke(id: string): Promise<boolean>;
  list(ownerId?: string): Promise<ApiKeyInfo[]>;
  /** Records use (`lastUsedAt`); not a change event. */
  touch(id: string): Promise<void>;
}

export interface UsersApi {
  /** @throws StoreInputError, StoreConflictError for a taken username (case-insensitive). */
  create(input: UserInput): Promise<User>;
  get(idOrUsername: string): Promise<User | null>;
  /** Constant work for unknown users. @returns the user, or `null` for a wrong password or unknown user. */
  verifyPassword(username: string, password: string): Promise<User | null>;
  list(): Promise<User[]>;
}

/** The store returned by `createStore`. */
export interface Store {
  readonly db: Db;
  readonly roles: RolesApi;
  readonly groups: GroupsApi;
  readonly assignments: AssignmentsApi;
  readonly apiKeys: ApiKeysApi;
  readonly users: UsersApi;
  /** Permissions of the identity's direct roles and its groups' roles, in one query. */
  permissionsFor(identityId: string): Promise<Permission[]>;
  /** Slugs of the identity's direct roles and its groups' roles. */
  rolesFor(identityId: string): Promise<string[]>;
  /**
   * Refuses every session token of `identityId` issued before now, on every node: records the
   * time (kept, never moved back) and announces a `session` change. Token issue times have whole
   * seconds, so a token issued in the same second as the call is refused too.
   * Works for any identity id, known user or not.
   * @returns the recorded revocation time.
   * @throws StoreInputError (`INVALID_INPUT`) for an empty or over-long id.
   */
  revokeSessions(identityId: string): Promise<Date>;
  /** When `identityId`'s sessions were last revoked, or `null` when never. */
  sessionsRevokedAt(identityId: string): Promise<Date | null>;
  /** Subscribes to local changes and (Postgres) changes made by other processes. @returns unsubscribe. */
  onChange(listener: (event: StoreChange) => void): () => void;
  close(): Promise<void>;
}
