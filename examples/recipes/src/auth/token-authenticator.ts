import type { JWK } from "jose";
import { InvalidCredentialsError, type Authenticator, type Identity } from "gatehouse";
import { jwtAuthenticator } from "gatehouse/jwt";
import { SIGNING_ALG, TOKEN_AUDIENCE, TOKEN_ISSUER } from "./signing-keys.js";

/**
 * Verifies the app's own tokens against its JWKS: ES256 only (so `alg: none`
 * and HS256-with-the-public-key are refused), issuer, audience and expiry
 * checked, a kid that is not in the set rejected. Invalid → `INVALID_CREDENTIALS`.
 */
export function createTokenAuthenticator(jwks: { keys: JWK[] }): Authenticator {
  return jwtAuthenticator({
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    algorithms: [SIGNING_ALG],
    jwks,
    clockToleranceSec: 5,
    mapClaims,
  });
}

/** Our tokens always carry a non-empty string `sub` (a user id); anything else is not one of ours. */
function mapClaims(claims: Record<string, unknown>): Identity {
  const sub = claims.sub;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > 200) throw new InvalidCredentialsError("Token subject is invalid.");
  return {
    id: sub,
    type: "user",
    username: typeof claims.username === "string" ? claims.username : undefined,
    displayName: typeof claims.name === "string" ? claims.name : undefined,
  };
}
