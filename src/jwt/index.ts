/**
 * `gatehouse/jwt`: a JWT/JWKS authenticator built on jose, a claims
 * authorizer and presets for common identity providers.
 * @module
 */
export { jwtAuthenticator } from "./jwt-authenticator.js";
export { defaultMapClaims } from "./options.js";
export type { JwtAuthenticatorOptions, KeyLike } from "./options.js";
export type { TokenCacheOptions } from "./token-cache.js";
export { claimsAuthorizer } from "./claims-authorizer.js";
export type { ClaimsAuthorizerOptions } from "./claims-authorizer.js";
export { presets } from "./presets.js";
export type { CognitoTokenUse, PresetOptions } from "./presets.js";
export type { JSONWebKeySet, JWK, JWTPayload } from "jose";
