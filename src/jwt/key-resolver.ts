import { createSecretKey, KeyObject, type webcrypto } from "node:crypto";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  importJWK,
  jwksCache,
  importSPKI,
  importX509,
  type FetchImplementation,
  type JWK,
  type JWKSCacheInput,
  type JWTVerifyGetKey,
  type RemoteJWKSet,
} from "jose";
import type { JwsHeader } from "./compact-jws.js";
import type { KeyLike, ResolvedJwtOptions } from "./options.js";

/**
 * Finds the node:crypto key for a token whose `alg` already passed the
 * allowlist. Synchronous when the key is fixed (secret, one public key
 * already imported), a promise when a key set must be consulted.
 * @internal
 */
export type KeyResolver = (header: JwsHeader) => KeyObject | Promise<KeyObject>;

const fromCryptoKey = new WeakMap<object, KeyObject>();

/** jose hands out WebCrypto keys; node:crypto verifies with KeyObjects. Converted once per key. */
function toKeyObject(key: KeyLike | Uint8Array): KeyObject {
  if (key instanceof KeyObject) return key;
  if (key instanceof Uint8Array) return createSecretKey(key);
  let converted = fromCryptoKey.get(key);
  if (!converted) {
    converted = KeyObject.from(key as webcrypto.CryptoKey);
    fromCryptoKey.set(key, converted);
  }
  return converted;
}

/**
 * Builds the key lookup once per authenticator. Key sets stay with jose:
 * it selects by `kid` and by the key type the (already allowed) `alg`
 * needs, caches imports, and for a remote set fetches, caches and
 * refetches on rotation. Only the verification itself moves to node:crypto.
 * @internal
 */
export function createKeyResolver(options: ResolvedJwtOptions): KeyResolver {
  const { source } = options;
  switch (source.kind) {
    case "secret": {
      const key = createSecretKey(source.secret);
      return () => key;
    }
    case "jwks":
      return remembered(fromKeySet(createLocalJWKSet(source.jwks)));
    case "jwksUrl": {
      // jose records each set it applies here (its documented external cache), which tells when it changed.
      const loaded: JwksSnapshot = {};
      const set = createRemoteJWKSet(source.url, {
        cooldownDuration: options.jwksCooldownMs,
        cacheMaxAge: options.jwksCacheMaxAgeMs,
        timeoutDuration: options.jwksTimeoutMs,
        [jwksCache]: loaded as JWKSCacheInput,
        ...(options.fetch ? { [customFetch]: options.fetch as unknown as FetchImplementation } : {}),
      });
      return rememberedWhileLoaded(fromKeySet(set), set, loaded);
    }
    case "publicKey": {
      const key = source.key;
      if (typeof key !== "string" && !("kty" in key)) {
        let fixed: KeyObject;
        try {
          fixed = toKeyObject(key as KeyLike);
        } catch (cause) {
          throw new TypeError("jwtAuthenticator: `publicKey` must be a node:crypto KeyObject or a WebCrypto CryptoKey.", { cause });
        }
        return () => fixed;
      }
      return importedPerAlgorithm(key as string | JWK);
    }
  }
}

function fromKeySet(getKey: JWTVerifyGetKey): KeyResolver {
  // Only alg and kid reach the key set: jku, x5u, jwk or x5c in a token are never looked at.
  return async ({ alg, kid }) => {
    const key = await getKey(kid === undefined ? { alg } : { alg, kid }, undefined as never);
    // jose's key sets only ever return imported public keys (never JWK objects).
    return toKeyObject(key as KeyLike);
  };
}

/**
 * A local set never changes (it is copied at construction), so the key jose
 * picks for an (`alg`, `kid`) pair is always the same: remembered after the
 * first lookup, which keeps jose's selection rules and skips its async
 * round trip. Only pairs that found a key are kept, so the memo is bounded
 * by the set's size; an unknown `kid` is looked up (and refused) every time.
 */
function remembered(resolve: KeyResolver): KeyResolver {
  const found = new Map<string, KeyObject>();
  return (header) => {
    // `alg` passed the allowlist, so it holds no NUL; an absent kid and an empty one stay apart.
    const id = header.kid === undefined ? header.alg : `${header.alg}\u0000${header.kid}`;
    const key = found.get(id);
    if (key) return key;
    return (resolve(header) as Promise<KeyObject>).then((k) => {
      found.set(id, k);
      return k;
    });
  };
}

/** What jose writes into its external cache on every set it applies. */
interface JwksSnapshot {
  jwks?: unknown;
  uat?: number;
}

/**
 * A remote set's keys, remembered only while the very set they came from is
 * still the one jose holds and still fresh: any reload (rotation, an unknown
 * `kid` after the cooldown, `cacheMaxAge` reached) forgets them all, so jose
 * keeps deciding when to fetch and which keys a set offers. Between reloads
 * the set is fixed, so a remembered key is the one jose would pick.
 */
function rememberedWhileLoaded(resolve: KeyResolver, set: RemoteJWKSet, loaded: JwksSnapshot): KeyResolver {
  const found = new Map<string, KeyObject>();
  let from: unknown;
  return (header) => {
    if (loaded.jwks !== from || !set.fresh) {
      found.clear();
      from = loaded.jwks;
    }
    const id = header.kid === undefined ? header.alg : `${header.alg}\u0000${header.kid}`;
    const key = found.get(id);
    if (key) return key;
    const before = loaded.jwks;
    return (resolve(header) as Promise<KeyObject>).then((k) => {
      // Kept only when no other set was applied during the lookup, so `k` surely came from the one
      // now held; after a (re)load the next request looks up once more, then answers at once.
      if (before !== undefined && loaded.jwks === before && from === before) found.set(id, k);
      return k;
    });
  };
}

/** PEM and JWK keys are imported by jose once per allowed algorithm, which checks that the key suits it. */
function importedPerAlgorithm(key: string | JWK): KeyResolver {
  const imported = new Map<string, KeyObject>();
  const pending = new Map<string, Promise<KeyObject>>();
  return ({ alg }) => {
    const ready = imported.get(alg);
    if (ready) return ready;
    let importing = pending.get(alg);
    if (!importing) {
      importing = importKey(key, alg).then(
        (k) => {
          const object = toKeyObject(k);
          imported.set(alg, object);
          pending.delete(alg);
          return object;
        },
        (error: unknown) => {
          // A failed import is not remembered: a later request retries rather than failing forever.
          pending.delete(alg);
          throw error;
        },
      );
      pending.set(alg, importing);
    }
    return importing;
  };
}

function importKey(key: string | JWK, alg: string): Promise<KeyLike> {
  if (typeof key !== "string") return importJWK(key, alg) as Promise<KeyLike>;
  return key.includes("BEGIN CERTIFICATE") ? importX509(key, alg) : importSPKI(key, alg);
}
