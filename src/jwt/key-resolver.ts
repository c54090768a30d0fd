import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  importJWK,
  importSPKI,
  importX509,
  type FetchImplementation,
  type JWK,
  type JWTVerifyGetKey,
  type KeyObject,
} from "jose";
import type { KeyLike, ResolvedJwtOptions } from "./options.js";

/** What `jwtVerify` gets: a fixed key or a resolver by header (`kid`, `alg`). @internal */
export type VerificationKey = KeyLike | Uint8Array | JWTVerifyGetKey;

/**
 * Builds the verification key once per authenticator: remote sets keep
 * their cache across requests, PEM/JWK keys are imported once per algorithm.
 * @internal
 */
export function createVerificationKey(options: ResolvedJwtOptions): VerificationKey {
  const { source } = options;
  switch (source.kind) {
    case "secret":
      return source.secret;
    case "jwks":
      return createLocalJWKSet(source.jwks);
    case "jwksUrl":
      return createRemoteJWKSet(source.url, {
        cooldownDuration: options.jwksCooldownMs,
        cacheMaxAge: options.jwksCacheMaxAgeMs,
        timeoutDuration: options.jwksTimeoutMs,
        ...(options.fetch ? { [customFetch]: options.fetch as unknown as FetchImplementation } : {}),
      });
    case "publicKey": {
      const key = source.key;
      if (typeof key !== "string" && !("kty" in key)) return key as KeyLike;
      // WebCrypto binds a key to one algorithm, so PEM and JWK keys are imported per allowed `alg`.
      const imported = new Map<string, Promise<KeyLike | Uint8Array>>();
      return async (header) => {
        const alg = header.alg;
        // jose checks `alg` against the allowlist before asking for a key; this is a second lock.
        if (typeof alg !== "string" || !options.algorithms.includes(alg)) throw new TypeError("Algorithm not allowed.");
        let pending = imported.get(alg);
        if (!pending) {
          pending = importKey(key as string | JWK, alg);
          // A failed import is not cached: a later request retries rather than failing forever.
          pending.catch(() => imported.delete(alg));
          imported.set(alg, pending);
        }
        return (await pending) as Exclude<KeyLike, KeyObject> | Uint8Array;
      };
    }
  }
}

function importKey(key: string | JWK, alg: string): Promise<KeyLike | Uint8Array> {
  if (typeof key !== "string") return importJWK(key, alg);
  return key.includes("BEGIN CERTIFICATE") ? importX509(key, alg) : importSPKI(key, alg);
}
