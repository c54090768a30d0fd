import { createApiKeysApi } from "./api-keys.js";
import { createAssignmentsApi, permissionsOf, rolesOf } from "./assignments.js";
import { CHANGE_CHANNEL, createChangeBus, mutator, type StoreContext } from "./changes.js";
import { openPglite, type OpenedDb } from "./db-pglite.js";
import { listenPostgres, openPostgres, type Listener } from "./db-postgres.js";
import { createGroupsApi } from "./groups.js";
import { assertMigrations, migrate } from "./migrate.js";
import { GATEHOUSE_MIGRATIONS } from "./migrations.js";
import { resolveScrypt } from "./password.js";
import { createRolesApi } from "./roles.js";
import { createSessionsApi } from "./sessions.js";
import { assertSchemaName, parseStoreUrl } from "./store-url.js";
import type { Store, StoreOptions } from "./types.js";
import { createUsersApi } from "./users.js";

function resolveOptions(options: StoreOptions) {
  if (options === null || typeof options !== "object") throw new TypeError("createStore: options must be an object.");
  const target = parseStoreUrl(options.url);
  const schema = assertSchemaName(options.schema ?? "public");
  const migrations = [...(options.migrations ?? [])];
  assertMigrations([...GATEHOUSE_MIGRATIONS, ...migrations]);
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new TypeError("createStore: poolSize must be a positive integer.");
  if (options.now !== undefined && typeof options.now !== "function") throw new TypeError("createStore: now must be a function returning a Date.");
  return Object.freeze({
    target,
    schema,
    migrations,
    poolSize,
    notify: options.notify ?? true,
    now: options.now ?? (() => new Date()),
    scrypt: resolveScrypt(options.scrypt),
  });
}

/**
 * Opens (and migrates) a store: PGlite in memory by default, PGlite on disk for a directory,
 * a `pg` pool for a `postgres://` url.
 * @throws TypeError for invalid options (e.g. an unsupported url; the message lists what is accepted).
 * @throws StoreConnectionError (`STORE_UNAVAILABLE`) when the database cannot be reached; never with the password.
 * @example
 * const store = await createStore({ url: process.env.DATABASE_URL });
 * await store.roles.create({ slug: "editor", name: "Editor", permissions: [{ name: "recipes.recipe", rwd: "rw" }] });
 * const security = createSecurity({ authorizers: [storeAuthorizer(store)] });
 */
export async function createStore(options: StoreOptions = {}): Promise<Store> {
  const o = resolveOptions(options);
  const { target } = o;
  const opened: OpenedDb =
    target.kind === "postgres"
      ? await openPostgres(target.url, o.schema, o.poolSize)
      : await openPglite(target.kind === "directory" ? target.path : undefined, o.schema);

  let listener: Listener | undefined;
  const remote = target.kind === "postgres" && o.notify;
  const bus = createChangeBus(o.schema, remote);
  try {
    await migrate(opened.db, o.schema, [...GATEHOUSE_MIGRATIONS, ...o.migrations], o.now());
    if (remote) {
      // After a reconnect, changes may have been missed: "*" tells caches to flush everything.
      const gap = () => bus.emit({ kind: "role", id: "*" });
      // Named so operators (and tests) can tell the listening session apart in pg_stat_activity.
      listener = await listenPostgres(target.url, CHANGE_CHANNEL, `gatehouse_listen:${o.schema}`, (p) => bus.receive(p), gap);
    }
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }

  const ctx: StoreContext = { db: opened.db, now: o.now, scrypt: o.scrypt, mutate: mutator(opened.db, bus) };
  let closing: Promise<void> | undefined;
  const sessions = createSessionsApi(ctx);
  return Object.freeze({
    db: opened.db,
    roles: createRolesApi(ctx),
    groups: createGroupsApi(ctx),
    assignments: createAssignmentsApi(ctx),
    apiKeys: createApiKeysApi(ctx),
    users: createUsersApi(ctx),
    permissionsFor: (identityId: string) => permissionsOf(opened.db, identityId),
    rolesFor: (identityId: string) => rolesOf(opened.db, identityId),
    revokeSessions: sessions.revokeSessions,
    sessionsRevokedAt: sessions.sessionsRevokedAt,
    onChange: bus.on,
    close() {
      closing ??= (async () => {
        await listener?.close();
        await opened.close();
      })();
      return closing;
    },
  });
}
