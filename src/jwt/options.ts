import type { TokenCacheOptions } from "./token-cache.js";
import type { CryptoKey, JSONWebKeySet, JWK, JWTPayload, KeyObject } from "jose";
import type { Identity } from "../core/index.js";

/** A key object jose accepts: a WebCrypto `CryptoKey` or a Node `KeyObject`. */
export type KeyLike = CryptoKey | KeyObject;

/** Options for {@link jwtAuthenticator}. Exactly one key source (`jwksUrl`, `jwks`, `publicKey`, `secret`). */
export interface JwtAuthenticatorOptions {
  /**
   * Accepted `iss` value(s). Required. A well-formed token naming another
   * issuer is not this authenticator's: it returns `null` so the next
   * authenticator can try (`createSecurity` refuses a token nobody claims).
   */
  issuer: string | string[];
  /**
   * Accepted `aud` value(s), so tokens minted for other APIs do not pass. Required
   * unless `authorizedParties` is set (providers such as Clerk that put the client in `azp`).
   */
  audience?: string | string[];
  /**
   * Decides from the verified claims whether the token was issued for this
   * API, for providers that name the client outside `aud` (Cognito access
   * tokens carry `client_id` and no `aud`). Runs after `audience` when both
   * are set; `false` or a throw refuses the token. Required unless
   * `audience` or `authorizedParties` is set.
   * @default undefined (not called)
   */
  audienceCheck?: (claims: JWTPayload) => boolean;
  /** Accepted `azp` value(s); when set, the claim is required. @default undefined (not checked) */
  authorizedParties?: string[];
  /**
   * Pinned algorithm allowlist; the token's own `alg` is only checked against it.
   * `none` and mixing HMAC (`HS*`) with asymmetric algorithms are rejected. Required.
   */
  algorithms: string[];
  /** Remote JWKS (`https://`, or `http://` on localhost only); cached, refetched on an unknown `kid` after the cooldown. */
  jwksUrl?: string;
  /** A local key set. */
  jwks?: JSONWebKeySet;
  /** One public key: a key object, a PEM (`PUBLIC KEY` or `CERTIFICATE`) or a public JWK. */
  publicKey?: KeyLike | string | JWK;
  /** HMAC secret for `HS*`, at least 32 bytes (RFC 7518 §3.2). */
  secret?: string | Uint8Array;
  /** Leeway for `exp`/`nbf`/`iat`, seconds, 0–300. @default 5 */
  clockToleranceSec?: number;
  /** Reject tokens whose `iat` is older than this many seconds (and require `iat`). @default undefined (no bound) */
  maxTokenAgeSec?: number;
  /**
   * Turns verified claims into an identity; `null` rejects the token.
   * @default { id: sub, type: "user", displayName: name ?? email, roles: claims.roles ?? [], claims }
   */
  mapClaims?: (claims: JWTPayload) => Identity | null;
  /**
   * Put before the id of every identity this authenticator returns, e.g.
   * `"cognito|"`. A `sub` is unique only within its issuer: when authenticators
   * for several identity providers chain, a prefix per provider keeps two
   * people with the same `sub` apart wherever the id is a key (stored
   * permissions, session revocation, audit logs).
   * @default "" (the id is what `mapClaims` returns)
   */
  idPrefix?: string;
  /** Claims that must be present. @default ["sub", "exp"] */
  requiredClaims?: string[];
  /** Minimum time between JWKS refetches caused by an unknown `kid`, ms. @default 30000 */
  jwksCooldownMs?: number;
  /** How long fetched keys are used before a refetch, ms. @default 600000 */
  jwksCacheMaxAgeMs?: number;
  /** JWKS request timeout, ms. @default 5000 */
  jwksTimeoutMs?: number;
  /** Fetch implementation for the JWKS (tests, proxies). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Clock for claim checks. @default () => new Date() */
  currentDate?: () => Date;
  /**
   * Reuse of verified tokens (exact token string; `exp`/`nbf` re-checked on
   * every hit). `false` verifies every request in full. Not used with `maxTokenAgeSec`.
   * @default { maxEntries: 1000, maxAgeMs: 30000 }
   */
  tokenCache?: TokenCacheOptions | false;
}

/** @internal */
export type KeySource =
  | { kind: "jwksUrl"; url: URL }
  | { kind: "jwks"; jwks: JSONWebKeySet }
  | { kind: "publicKey"; key: KeyLike | string | JWK }
  | { kind: "secret"; secret: Uint8Array };

/** Options after validation and defaults. @internal */
export interface ResolvedJwtOptions {
  issuer: string[];
  audience: string[] | undefined;
  audienceCheck: ((claims: JWTPayload) => boolean) | undefined;
  authorizedParties: string[] | undefined;
  algorithms: string[];
  source: KeySource;
  clockToleranceSec: number;
  maxTokenAgeSec: number | undefined;
  mapClaims: (claims: JWTPayload) => Identity | null;
  idPrefix: string;
  requiredClaims: string[];
  jwksCooldownMs: number;
  jwksCacheMaxAgeMs: number;
  jwksTimeoutMs: number;
  fetch: typeof fetch | undefined;
  currentDate: (() => Date) | undefined;
}

const HMAC = new Set(["HS256", "HS384", "HS512"]);
const ASYMMETRIC = new Set(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"]);
const fail = (message: string): never => {
  throw new TypeError(`jwtAuthenticator: ${message}`);
};

function nonEmptyList(value: unknown, name: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((v) => typeof v !== "string" || v.trim() === "")) {
    fail(`\`${name}\` must be a non-empty string or array of non-empty strings.`);
  }
  return [...(list as string[])];
}

function checkAlgorithms(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) fail("`algorithms` must be a non-empty array such as [\"RS256\"]; it is never taken from the token.");
  const algorithms = [...new Set(value as unknown[])];
  for (const alg of algorithms) {
    if (typeof alg === "string" && alg.toLowerCase() === "none") fail("`algorithms` must not contain \"none\" (unsigned tokens).");
    if (typeof alg !== "string" || (!HMAC.has(alg) && !ASYMMETRIC.has(alg))) fail(`unsupported algorithm in \`algorithms\`; use ${[...HMAC, ...ASYMMETRIC].join(", ")}.`);
  }
  const hmac = algorithms.filter((a) => HMAC.has(a as string)).length;
  // Mixing invites algorithm confusion: a public key used as an HMAC secret.
  if (hmac > 0 && hmac < algorithms.length) fail("`algorithms` must not mix HMAC (HS*) with asymmetric algorithms: a public key must never serve as an HMAC secret.");
  return algorithms as string[];
}

function checkMs(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) fail(`\`${name}\` must be a non-negative number of milliseconds.`);
  return value as number;
}

function keySource(options: JwtAuthenticatorOptions, hmac: boolean): KeySource {
  const given = (["jwksUrl", "jwks", "publicKey", "secret"] as const).filter((k) => options[k] !== undefined);
  if (given.length !== 1) fail("give exactly one key source: `jwksUrl`, `jwks`, `publicKey` or `secret`.");
  if (hmac !== (given[0] === "secret")) fail(hmac ? "HS* algorithms need `secret`." : "`secret` works only with HS* algorithms.");
  if (options.jwksUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.jwksUrl);
    } catch {
      fail("`jwksUrl` must be an absolute URL.");
    }
    const local = url!.hostname === "localhost" || url!.hostname === "127.0.0.1" || url!.hostname === "[::1]";
    if (url!.protocol !== "https:" && !(url!.protocol === "http:" && local)) fail("`jwksUrl` must use https:// (http:// only on localhost).");
    return { kind: "jwksUrl", url: url! };
  }
  if (options.jwks !== undefined) {
    if (!options.jwks || !Array.isArray(options.jwks.keys)) fail("`jwks` must be a JSON Web Key Set ({ keys: [...] }).");
    if (options.jwks.keys.some((k) => k && typeof k === "object" && "d" in k)) fail("`jwks` must hold public keys only.");
    return { kind: "jwks", jwks: structuredClone(options.jwks) };
  }
  if (options.publicKey !== undefined) return { kind: "publicKey", key: checkPublicKey(options.publicKey) };
  const secret = typeof options.secret === "string" ? new TextEncoder().encode(options.secret) : options.secret;
  if (!(secret instanceof Uint8Array) || secret.byteLength < 32) fail("`secret` must be a string or Uint8Array of at least 32 bytes.");
  return { kind: "secret", secret: secret as Uint8Array };
}

function checkPublicKey(key: KeyLike | string | JWK): KeyLike | string | JWK {
  if (typeof key === "string") {
    if (!/-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/.test(key)) fail("`publicKey` PEM must be an SPKI \"PUBLIC KEY\" or an X.509 \"CERTIFICATE\".");
    return key;
  }
  if (!key || typeof key !== "object") return fail("`publicKey` must be a key object, a PEM string or a JWK.");
  if ("kty" in key) {
    if ("d" in key || key.kty === "oct") fail("`publicKey` must be a public JWK (no private or symmetric key material).");
    return { ...key };
  }
  if ((key as { type?: string }).type !== "public") fail("`publicKey` must be a public key object.");
  return key;
}

/** Validates and freezes the options; every problem is a TypeError that says what to fix. @internal */
export function resolveJwtOptions(options: JwtAuthenticatorOptions): ResolvedJwtOptions {
  if (!options || typeof options !== "object") fail("options are required.");
  const issuer = nonEmptyList(options.issuer, "issuer");
  const authorizedParties = options.authorizedParties === undefined ? undefined : nonEmptyList(options.authorizedParties, "authorizedParties");
  if (options.audience === undefined && authorizedParties === undefined && options.audienceCheck === undefined) {
    fail("`audience` is required so tokens issued for other APIs are rejected.");
  }
  const audience = options.audience === undefined ? undefined : nonEmptyList(options.audience, "audience");
  const algorithms = checkAlgorithms(options.algorithms);
  const source = keySource(options, HMAC.has(algorithms[0]!));
  const clockToleranceSec = options.clockToleranceSec ?? 5;
  if (typeof clockToleranceSec !== "number" || !(clockToleranceSec >= 0 && clockToleranceSec <= 300)) fail("`clockToleranceSec` must be between 0 and 300 seconds.");
  const maxTokenAgeSec = options.maxTokenAgeSec;
  if (maxTokenAgeSec !== undefined && (typeof maxTokenAgeSec !== "number" || !(maxTokenAgeSec > 0))) fail("`maxTokenAgeSec` must be a positive number of seconds.");
  const requiredClaims = options.requiredClaims === undefined ? ["sub", "exp"] : nonEmptyList(options.requiredClaims, "requiredClaims");
  if (maxTokenAgeSec !== undefined && !requiredClaims.includes("iat")) requiredClaims.push("iat");
  if (authorizedParties !== undefined && !requiredClaims.includes("azp")) requiredClaims.push("azp");
  const idPrefix = options.idPrefix ?? "";
  if (typeof idPrefix !== "string") fail("`idPrefix` must be a string, such as \"cognito|\".");
  for (const fn of ["mapClaims", "audienceCheck", "fetch", "currentDate"] as const) {
    if (options[fn] !== undefined && typeof options[fn] !== "function") fail(`\`${fn}\` must be a function.`);
  }
  return Object.freeze({
    issuer,
    audience,
    audienceCheck: options.audienceCheck,
    authorizedParties,
    algorithms,
    source,
    clockToleranceSec,
    maxTokenAgeSec,
    mapClaims: options.mapClaims ?? defaultMapClaims,
    idPrefix,
    requiredClaims,
    jwksCooldownMs: checkMs(options.jwksCooldownMs, "jwksCooldownMs", 30_000),
    jwksCacheMaxAgeMs: checkMs(options.jwksCacheMaxAgeMs, "jwksCacheMaxAgeMs", 600_000),
    jwksTimeoutMs: checkMs(options.jwksTimeoutMs, "jwksTimeoutMs", 5_000),
    fetch: options.fetch,
    currentDate: options.currentDate,
  });
}

/** Strings of an array claim; anything else is no roles. @internal */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The default claim → identity mapping. */
export function defaultMapClaims(claims: JWTPayload): Identity | null {
  if (typeof claims.sub !== "string" || claims.sub === "") return null;
  const name = typeof claims.name === "string" ? claims.name : typeof claims.email === "string" ? claims.email : undefined;
  const identity: Identity = { id: claims.sub, type: "user", roles: stringList(claims.roles), claims };
  if (name !== undefined) identity.displayName = name;
  return identity;
}
