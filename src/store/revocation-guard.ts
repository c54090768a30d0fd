import { InvalidCredentialsError, type Authenticator, type Credentials, type Identity } from "../core/index.js";
import type { Store, StoreChange } from "./types.js";

/** Options for {@link revocationGuard}. */
export interface RevocationGuardOptions {
  /**
   * When the credential the identity came from was issued, in whole seconds since the epoch.
   * A credential without a readable issue time is refused once its identity has a revocation.
   * @default the `iat` claim of `credentials.token` (a JWT the wrapped authenticator has just verified)
   */
  issuedAt?: (identity: Identity, credentials: Credentials) => number | undefined;
  /** How long a loaded revocation time is reused, in ms; revocations flush it sooner. `0` disables caching. @default 60000 */
  ttlMs?: number;
  /** Most identities cached at once; the oldest entry goes first. @default 10000 */
  maxEntries?: number;
  /** Clock for the cache TTL, in ms. @default Date.now */
  now?: () => number;
  /** Told when the store cannot say whether a session was revoked (the credential is refused); log it. @default none */
  onStoreError?: (error: unknown) => void;
}

/** The wrapped authenticator plus a way to stop listening to store changes. */
export type RevocationGuard = Authenticator & {
  /** Stops listening to store changes. */
  dispose(): void;
};

interface Entry {
  /** Last revocation, in whole seconds, or `null` when never revoked. */
  revokedSec: number | null;
  expires: number;
}

const REVOKED = "Session revoked.";

function limit(value: number | undefined, fallback: number, what: string, allowZero: boolean): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < (allowZero ? 0 : 1)) throw new TypeError(`revocationGuard: ${what} must be a ${allowZero ? "non-negative" : "positive"} number.`);
  return v;
}

/**
 * The `iat` claim of a compact JWT, without verifying it: only called on a token the wrapped
 * authenticator has just accepted, so the signature has been checked already. @internal
 */
export function tokenIssuedAt(_identity: Identity, credentials: Credentials): number | undefined {
  const token = credentials?.token;
  if (typeof token !== "string") return undefined;
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const iat = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iat?: unknown }).iat;
    return typeof iat === "number" && Number.isFinite(iat) ? iat : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps an authenticator so that `store.revokeSessions(id)` takes effect: an identity whose
 * credential was issued at or before its last revocation (compared in whole seconds) is refused.
 * The revocation time is cached per identity and dropped on every node when a revocation is
 * announced (Postgres `LISTEN/NOTIFY`; in-process on PGlite), or after a reconnect that may have
 * missed one. A store error while loading refuses the credential (fail closed).
 * Wrap the authenticator of session tokens (your JWTs), not API keys: keys are revoked one by one.
 * @throws TypeError for a missing store or authenticator, or invalid options.
 * @throws InvalidCredentialsError (`INVALID_CREDENTIALS`) from the returned authenticator for a revoked session.
 * @example
 * const jwt = revocationGuard(store, jwtAuthenticator({ issuer, audience, algorithms: ["ES256"], jwks }));
 * const security = createSecurity({ authenticators: [jwt], authorizers: [storeAuthorizer(store)] });
 * await store.revokeSessions(userId); // every token of userId issued so far is refused from now on
 */
export function revocationGuard(store: Store, authenticator: Authenticator, options: RevocationGuardOptions = {}): RevocationGuard {
  if (!store || typeof store.sessionsRevokedAt !== "function" || typeof store.onChange !== "function") {
    throw new TypeError("revocationGuard: the first argument must be a Store from createStore().");
  }
  if (typeof authenticator !== "function") throw new TypeError("revocationGuard: the second argument must be an authenticator function.");
  for (const name of ["issuedAt", "onStoreError"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") throw new TypeError(`revocationGuard: ${name} must be a function.`);
  }
  const issuedAt = options.issuedAt ?? tokenIssuedAt;
  const ttlMs = limit(options.ttlMs, 60_000, "ttlMs", true);
  const maxEntries = limit(options.maxEntries, 10_000, "maxEntries", false);
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();
  // Bumped on every invalidation; a load that started before it is not cached (it may be stale).
  let generation = 0;

  const unsubscribe = store.onChange((change: StoreChange) => {
    if (change.id === "*") {
      // A reconnect gap (or a bulk change): any revocation may have been missed.
      generation++;
      cache.clear();
    } else if (change.kind === "session") {
      generation++;
      cache.delete(change.id);
    }
  });

  async function revokedSec(identityId: string): Promise<number | null> {
    const hit = cache.get(identityId);
    if (hit && hit.expires > now()) return hit.revokedSec;
    const started = generation;
    const at = await store.sessionsRevokedAt(identityId);
    const sec = at === null ? null : Math.floor(at.getTime() / 1000);
    if (ttlMs > 0 && started === generation) {
      cache.delete(identityId);
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(identityId, { revokedSec: sec, expires: now() + ttlMs });
    }
    return sec;
  }

  const guarded: Authenticator = async (credentials) => {
    const identity = await authenticator(credentials);
    if (identity === null || identity === undefined) return identity ?? null;
    let revoked: number | null;
    try {
      revoked = await revokedSec(identity.id);
    } catch (error) {
      options.onStoreError?.(error);
      throw new InvalidCredentialsError("Credentials could not be verified.", { cause: error });
    }
    if (revoked === null) return identity;
    const issued = issuedAt(identity, credentials);
    // `iat` has whole seconds: a token from the revocation's own second may predate it, so it goes too.
    if (typeof issued !== "number" || !Number.isFinite(issued) || Math.floor(issued) <= revoked) throw new InvalidCredentialsError(REVOKED);
    return identity;
  };
  return Object.assign(guarded, { dispose: unsubscribe });
}
