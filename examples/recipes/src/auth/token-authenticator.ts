import type { JWK } from "jose";
import type { Authenticator, Identity } from "gatehouse";
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
    mapClaims: (claims: Record<string, unknown>): Identity => ({
      id: String(claims.sub),
      type: "user",
      username: typeof claims.username === "string" ? claims.username : undefined,
      displayName: typeof claims.name === "string" ? claims.name : undefined,
    }),
  });
}
