import type { Authenticator, Authorizer, Credentials, Identity, Permission } from "./types.js";

/** A value when it is ready, a promise only when something really has to wait. @internal */
export type PromiseOrValue<T> = T | Promise<T>;

/**
 * An authenticator that answers at once when it can (a cached token, a local key):
 * same results and same errors as its public, promise-returning twin, but thrown
 * synchronously and returned as values when nothing had to wait. @internal
 */
export type SyncAuthenticator = (credentials: Credentials) => PromiseOrValue<Identity | null>;

/**
 * Anything with a `then` method, as `await` sees it (graphql-js's `isPromise`): a
 * thenable is adopted by the synchronous path exactly as the promise path would.
 * @internal
 */
export function isPromiseLike<T>(value: PromiseOrValue<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

// Keyed by the public function, so only gatehouse code that holds the function reaches its twin.
const syncAuthenticators = new WeakMap<Authenticator, SyncAuthenticator>();

/**
 * The public authenticator for a synchronous one: same behaviour, always a promise
 * (a synchronous throw becomes a rejection). The twin stays reachable through
 * {@link syncAuthenticatorOf}. @internal
 */
export function authenticatorWithSyncPath(sync: SyncAuthenticator): Authenticator {
  const authenticator: Authenticator = async (credentials) => sync(credentials);
  syncAuthenticators.set(authenticator, sync);
  return authenticator;
}

/** The synchronous twin of an authenticator made by gatehouse, or `null` (a user's own function). @internal */
export function syncAuthenticatorOf(authenticator: Authenticator): SyncAuthenticator | null {
  return syncAuthenticators.get(authenticator) ?? null;
}

/**
 * An authorizer that answers at once when it can (a cache hit, permissions from the token),
 * with the same permissions as its public, promise-returning twin. What it returns is only
 * read (its members copied into the request's context, frozen), so it may hand out shared,
 * deep-frozen permissions where the public twin hands out fresh copies. @internal
 */
export type SyncAuthorizer = (identity: Identity | null) => PromiseOrValue<readonly Permission[] | null>;

const syncAuthorizers = new WeakMap<Authorizer, SyncAuthorizer>();

/** Registers the synchronous twin of a public authorizer made by gatehouse; returns the public one. @internal */
export function withSyncAuthorizer<A extends Authorizer>(authorizer: A, sync: SyncAuthorizer): A {
  syncAuthorizers.set(authorizer, sync);
  return authorizer;
}

/** The synchronous twin of an authorizer made by gatehouse, or `null` (a user's own function). @internal */
export function syncAuthorizerOf(authorizer: Authorizer): SyncAuthorizer | null {
  return syncAuthorizers.get(authorizer) ?? null;
}
