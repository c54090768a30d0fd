import type { Authorizer, Identity, Permission } from "../core/index.js";
import { frozenCopy } from "../core/permission-match.js";
import { withSyncAuthorizer } from "../core/sync-path.js";
import { keyGrant } from "./api-keys.js";
import { dedupe } from "./assignments.js";
import type { Store, StoreChange } from "./types.js";

/** Options for {@link storeAuthorizer}. */
export interface StoreAuthorizerOptions {
  /** How long loaded permissions are reused, in ms; changes invalidate sooner. `0` disables caching. @default 60000 */
  ttlMs?: number;
  /** Most identities cached at once; the oldest entry goes first. @default 10000 */
  maxEntries?: number;
  /** Clock for the TTL, in ms. @default Date.now */
  now?: () => number;
}

/** The authorizer plus manual invalidation. */
export type StoreAuthorizer = Authorizer & {
  /** Drops the cache of one identity (owner id), or of everyone when called without one. */
  invalidate(identityId?: string): void;
  /** Stops listening to store changes. */
  dispose(): void;
};

interface Entry {
  ownerId: string;
  expires: number;
  /** Deep-frozen: shared by every context made from this entry. */
  permissions: readonly Permission[];
}

function positive(value: number | undefined, fallback: number, what: string, allowZero: boolean): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < (allowZero ? 0 : 1)) throw new TypeError(`storeAuthorizer: ${what} must be a ${allowZero ? "non-negative" : "positive"} number.`);
  return v;
}

/**
 * An `Authorizer` that loads an identity's permissions from the store: its roles and its
 * groups' roles. For an API-key identity (`type: "apiKey"`, `keyId`), a key with its own
 * permissions/roles grants exactly those (least privilege); a key without any acts as its owner.
 * A revoked or expired key grants nothing. Results are cached per identity and dropped on
 * any store change: in-process on PGlite, on every node through `LISTEN/NOTIFY` on Postgres.
 * Load errors propagate, so the request fails closed.
 * @throws TypeError for invalid options.
 * @example
 * const security = createSecurity({ authenticators: [...], authorizers: [storeAuthorizer(store, { ttlMs: 30_000 })] });
 */
export function storeAuthorizer(store: Store, options: StoreAuthorizerOptions = {}): StoreAuthorizer {
  if (!store || typeof store.permissionsFor !== "function") throw new TypeError("storeAuthorizer: the first argument must be a Store from createStore().");
  const ttlMs = positive(options.ttlMs, 60_000, "ttlMs", true);
  const maxEntries = positive(options.maxEntries, 10_000, "maxEntries", false);
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();
  // Bumped on every invalidation; a load that started before it is not cached (it may be stale).
  let generation = 0;

  function invalidate(identityId?: string): void {
    generation++;
    if (identityId === undefined) return cache.clear();
    for (const [key, entry] of cache) if (entry.ownerId === identityId) cache.delete(key);
  }

  function onChange(change: StoreChange): void {
    // Assignments touch one identity; a role, group or key change can touch anyone.
    // Users and session revocations change no permission (revocation is the authenticator's business).
    if (change.kind === "assignment" && change.id !== "*") invalidate(change.id);
    else if (change.kind !== "user" && change.kind !== "session") invalidate();
  }
  const unsubscribe = store.onChange(onChange);

  async function load(identity: Identity): Promise<Permission[]> {
    const keyId = identity.type === "apiKey" && typeof identity.keyId === "string" ? identity.keyId : undefined;
    if (keyId !== undefined) {
      const grant = await keyGrant(store.db, keyId, new Date(now()));
      if (grant.scoped) return dedupe(grant.permissions);
    } else if (identity.type === "apiKey") {
      return []; // an API-key identity without a key id cannot be checked: grant nothing
    }
    return store.permissionsFor(identity.id);
  }

  /** The cached permissions (deep-frozen, shared) while fresh, else a load (cached when no change came meanwhile). */
  function permissionsOf(identity: Identity): readonly Permission[] | Promise<readonly Permission[]> {
    const key = identity.type === "apiKey" ? `key:${String(identity.keyId)}` : `id:${identity.id}`;
    const hit = cache.get(key);
    if (hit && hit.expires > now()) return hit.permissions;
    const started = generation;
    return load(identity).then((loaded) => {
      const permissions = frozenCopy(loaded);
      if (ttlMs > 0 && started === generation) {
        cache.delete(key);
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
        cache.set(key, { ownerId: identity.id, expires: now() + ttlMs, permissions });
      }
      return permissions;
    });
  }

  // The public function hands out copies the caller may change; createSecurity, which only reads
  // them into a frozen context, gets a cache hit at once and shared.
  async function authorize(identity: Identity | null): Promise<Permission[] | null> {
    return identity === null ? null : structuredClone(await permissionsOf(identity)) as Permission[];
  }
  withSyncAuthorizer(authorize, (identity) => (identity === null ? null : permissionsOf(identity)));

  return Object.assign(authorize, { invalidate, dispose: unsubscribe });
}
