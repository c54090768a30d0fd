import { jwtVerify, type JWTPayload, type JWTVerifyOptions } from "jose";
import { InvalidCredentialsError, type Authenticator, type Credentials, type Identity } from "../core/index.js";
import { createVerificationKey } from "./key-resolver.js";
import { resolveJwtOptions, type JwtAuthenticatorOptions, type ResolvedJwtOptions } from "./options.js";
import { TokenCache } from "./token-cache.js";

const MAX_TOKEN_LENGTH = 16_384;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Verifies bearer JWTs (signature, pinned `alg`, `exp`/`nbf`/`iat`, `iss`,
 * `aud`) and maps their claims to an identity. No token → `null`.
 * @throws TypeError at construction for a misconfiguration (missing audience, `none`, mixed algorithms, ...).
 * @throws InvalidCredentialsError (`INVALID_CREDENTIALS`) for a token that fails any check, and
 *   when the JWKS cannot be fetched: never a fall-back to anonymous. Messages never contain the token.
 * @example
 * const jwt = jwtAuthenticator({
 *   issuer: "https://issuer.example.com/", audience: "https://api.example.com",
 *   algorithms: ["RS256"], jwksUrl: "https://issuer.example.com/.well-known/jwks.json",
 * });
 * const security = createSecurity({ authenticators: [jwt] });
 */
export function jwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  const resolved = resolveJwtOptions(options);
  const key = createVerificationKey(resolved);
  const base = verifyOptions(resolved);
  // An iat bound moves with the clock on every request, so such tokens are always verified in full.
  const cache =
    options.tokenCache === false || resolved.maxTokenAgeSec !== undefined ? null : new TokenCache(options.tokenCache ?? {});

  return async (credentials: Credentials) => {
    const token = credentials?.token;
    if (token === undefined || token === null) {
      // A Bearer header that was present but unusable is rejected, not treated as absent.
      const malformed = (credentials as { malformed?: unknown } | undefined)?.malformed;
      if (Array.isArray(malformed) && (malformed.includes("authorization") || malformed.includes("cookie"))) {
        throw new InvalidCredentialsError("Malformed token.");
      }
      return null;
    }
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
      throw new InvalidCredentialsError("Malformed token.");
    }
    const now = resolved.currentDate?.();
    const cached = cache?.get(token, now ? now.getTime() : Date.now(), resolved.clockToleranceSec);
    if (cached) return cached;
    let payload: JWTPayload;
    try {
      const options = now ? { ...base, currentDate: now } : base;
      ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], options));
    } catch (error) {
      throw new InvalidCredentialsError(messageFor(error, resolved.source.kind === "jwksUrl"), { cause: error });
    }
    if (resolved.authorizedParties && !resolved.authorizedParties.includes(payload.azp as string)) {
      throw new InvalidCredentialsError("Token authorized party not accepted.");
    }
    const identity = toIdentity(resolved, payload);
    cache?.set(token, identity, payload);
    return identity;
  };
}

function verifyOptions(resolved: ResolvedJwtOptions): JWTVerifyOptions {
  const options: JWTVerifyOptions = {
    algorithms: resolved.algorithms,
    issuer: resolved.issuer,
    clockTolerance: resolved.clockToleranceSec,
    requiredClaims: resolved.requiredClaims,
  };
  if (resolved.audience) options.audience = resolved.audience;
  if (resolved.maxTokenAgeSec !== undefined) options.maxTokenAge = resolved.maxTokenAgeSec;
  return Object.freeze(options);
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
  return identity;
}

/** A safe, token-free message per failure kind (RFC 6750 `error_description` style). */
function messageFor(error: unknown, remote: boolean): string {
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return claim === "iat" ? "Token is too old." : "Token expired.";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (claim === "nbf") return "Token not yet valid.";
      if (claim === "iss") return "Token issuer not accepted.";
      if (claim === "aud") return "Token audience not accepted.";
      if (claim === "iat") return "Token issue time invalid.";
      return "Token claims invalid.";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "Token algorithm not allowed.";
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "Token signature invalid.";
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return "Token signing key not found.";
    case "ERR_JWKS_TIMEOUT":
    case "ERR_JWKS_INVALID":
    case "ERR_JOSE_GENERIC":
      return "Token signing keys are unavailable.";
    case "ERR_JWS_INVALID":
    case "ERR_JWT_INVALID":
    case "ERR_JOSE_NOT_SUPPORTED":
      return "Malformed token.";
    default:
      // fetch failures (connection refused, DNS) surface as plain errors, not JOSE errors.
      return remote ? "Token signing keys are unavailable." : "Token could not be verified.";
  }
}
