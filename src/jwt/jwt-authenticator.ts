import type { KeyObject } from "node:crypto";
import type { JWTPayload } from "jose";
import { InvalidCredentialsError, type Authenticator, type Credentials, type Identity } from "../core/index.js";
import { authenticatorWithSyncPath, type PromiseOrValue } from "../core/sync-path.js";
import { checkClaims } from "./claims.js";
import { parseCompactJws, type ParsedJws } from "./compact-jws.js";
import { createKeyResolver } from "./key-resolver.js";
import { defaultMapClaims, resolveJwtOptions, type JwtAuthenticatorOptions, type ResolvedJwtOptions } from "./options.js";
import { verifySignature } from "./signature.js";
import { TokenCache } from "./token-cache.js";

/**
 * Verifies bearer JWTs (signature, pinned `alg`, `exp`/`nbf`/`iat`, `iss`,
 * `aud`) and maps their claims to an identity. No token → `null`; a
 * well-formed token of another issuer → `null` too, so authenticators for
 * several identity providers chain in `createSecurity`.
 *
 * Order of checks: strict parsing; the unverified `iss` only decides
 * whether this authenticator looks further (it never selects a key or skips
 * a check); the `alg` allowlist before any key is touched; the key (by
 * `kid` within the configured set, of the type the pinned algorithm needs);
 * the signature with node:crypto; then the claims and the identity.
 * @throws TypeError at construction for a misconfiguration (missing audience, `none`, mixed algorithms, ...).
 * @throws InvalidCredentialsError (`INVALID_CREDENTIALS`) for a token of this issuer that fails any check, a
 *   malformed token, and when the JWKS cannot be fetched: never a fall-back to anonymous. Messages never contain the token.
 * @example
 * const jwt = jwtAuthenticator({
 *   issuer: "https://issuer.example.com/", audience: "https://api.example.com",
 *   algorithms: ["RS256"], jwksUrl: "https://issuer.example.com/.well-known/jwks.json",
 * });
 * const security = createSecurity({ authenticators: [jwt] });
 */
export function jwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  const resolved = resolveJwtOptions(options);
  const resolveKey = createKeyResolver(resolved);
  const issuers = resolved.issuer;
  const algorithms = resolved.algorithms;
  const remote = resolved.source.kind === "jwksUrl";
  const ownMapping = resolved.mapClaims === defaultMapClaims;
  // An iat bound moves with the clock on every request, so such tokens are always verified in full.
  const cache =
    options.tokenCache === false || resolved.maxTokenAgeSec !== undefined ? null : new TokenCache(options.tokenCache ?? {});

  /** Everything but a remote key set's first fetch is synchronous, so only that returns a promise. */
  const verify = (credentials: Credentials): PromiseOrValue<Identity | null> => {
    const token = credentials?.token;
    if (token === undefined || token === null) {
      // A Bearer header that was present but unusable is rejected, not treated as absent.
      const malformed = (credentials as { malformed?: unknown } | undefined)?.malformed;
      if (Array.isArray(malformed) && (malformed.includes("authorization") || malformed.includes("cookie"))) {
        throw new InvalidCredentialsError("Malformed token.");
      }
      return null;
    }
    if (typeof token !== "string") throw new InvalidCredentialsError("Malformed token.");
    const nowMs = resolved.currentDate ? resolved.currentDate().getTime() : Date.now();
    if (cache) {
      const cached = cache.get(token, nowMs, resolved.clockToleranceSec);
      if (cached) return cached;
    }

    const parsed = parseCompactJws(token);
    const { header, payload } = parsed;
    // Routing only: another issuer's token is not ours to judge. The signature below
    // covers these same bytes, so for a token we keep, this is also the `iss` check.
    if (typeof payload.iss !== "string" || !issuers.includes(payload.iss)) return null;
    if (!algorithms.includes(header.alg)) throw new InvalidCredentialsError("Token algorithm not allowed.");
    const found = resolveKey(header);
    if (found instanceof Promise) return keyFromSet(found, remote).then((key) => accept(token, parsed, key, nowMs));
    return accept(token, parsed, found, nowMs);
  };

  /** The signature, then the claims, then the identity: the same order on both paths. */
  const accept = (token: string, { header, payload, signingInput, signature }: ParsedJws, key: KeyObject, nowMs: number): Identity => {
    if (!verifySignature(header.alg, key, signingInput, signature)) throw new InvalidCredentialsError("Token signature invalid.");
    checkClaims(resolved, payload, Math.floor(nowMs / 1000));
    const identity = toIdentity(resolved, payload);
    // The default mapping builds the identity from just-parsed claims that nobody else holds, so the cache
    // may freeze it where it stands; a custom mapping's result may share parts, so it is copied.
    return cache ? cache.set(token, identity, payload, ownMapping) : identity;
  };

  return authenticatorWithSyncPath(verify);
}

async function keyFromSet(found: Promise<KeyObject>, remote: boolean): Promise<KeyObject> {
  try {
    return await found;
  } catch (error) {
    throw new InvalidCredentialsError(keyErrorMessage(error, remote), { cause: error });
  }
}

/** A safe, token-free message per key-lookup failure (RFC 6750 `error_description` style). */
function keyErrorMessage(error: unknown, remote: boolean): string {
  switch ((error as { code?: unknown } | null)?.code) {
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return "Token signing key not found.";
    case "ERR_JWKS_TIMEOUT":
    case "ERR_JWKS_INVALID":
    case "ERR_JOSE_GENERIC":
      return "Token signing keys are unavailable.";
    case "ERR_JOSE_NOT_SUPPORTED":
    case "ERR_JWK_INVALID":
      return "Token signing key not usable.";
    default:
      // fetch failures (connection refused, DNS) surface as plain errors, not JOSE errors.
      return remote ? "Token signing keys are unavailable." : "Token could not be verified.";
  }
}

function toIdentity(resolved: ResolvedJwtOptions, payload: JWTPayload): Identity {
  let identity: Identity | null;
  try {
    identity = resolved.mapClaims(payload);
  } catch (error) {
    throw new InvalidCredentialsError("Token claims could not be mapped to an identity.", { cause: error });
  }
  // A verified token that maps to nobody is rejected, not downgraded to anonymous.
  if (!identity || typeof identity.id !== "string" || identity.id === "") {
    throw new InvalidCredentialsError("Token claims do not identify a caller.");
  }
  // A copy: the mapping's own object may be shared by its caller.
  return resolved.idPrefix === "" ? identity : { ...identity, id: resolved.idPrefix + identity.id };
}
