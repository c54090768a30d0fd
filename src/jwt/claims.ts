import type { JWTPayload } from "jose";
import { InvalidCredentialsError } from "../core/index.js";
import type { ResolvedJwtOptions } from "./options.js";

const refuse = (message: string): never => {
  throw new InvalidCredentialsError(message);
};

/** A NumericDate claim: absent, or a finite number of seconds (`1e400` parses to Infinity and never expires). */
function numericDate(claims: JWTPayload, name: "exp" | "nbf" | "iat"): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) refuse("Token claims invalid.");
  return value as number;
}

/**
 * `exp` has passed at `nowSec` (whole seconds): equal to now minus the
 * tolerance is already expired. Shared by the full check and the token
 * cache, so a cached token never outlives a full verification. @internal
 */
export const expiredAt = (exp: number | undefined, nowSec: number, toleranceSec: number): boolean => exp !== undefined && exp <= nowSec - toleranceSec;

/** `nbf` is still ahead at `nowSec`: equal to now plus the tolerance is already valid. @internal */
export const notYetValidAt = (nbf: number | undefined, nowSec: number, toleranceSec: number): boolean => nbf !== undefined && nbf > nowSec + toleranceSec;

/**
 * Checks the claims of a token whose signature holds: presence, audience,
 * authorized party, and `nbf`/`exp`/`iat` against `nowSec` with the clock
 * tolerance (RFC 7519 §4.1). `exp` equal to now minus the tolerance is
 * already expired; `nbf` or `iat` equal to now plus the tolerance is already valid.
 * @throws InvalidCredentialsError (`INVALID_CREDENTIALS`) with a token-free message naming the failed check.
 * @internal
 */
export function checkClaims(options: ResolvedJwtOptions, claims: JWTPayload, nowSec: number): void {
  for (const name of options.requiredClaims) {
    if (!Object.hasOwn(claims, name)) refuse(`Token is missing the "${name}" claim.`);
  }
  if (options.audience !== undefined && !audienceMatches(claims.aud, options.audience)) refuse("Token audience not accepted.");
  if (options.audienceCheck !== undefined && !runAudienceCheck(options.audienceCheck, claims)) refuse("Token audience not accepted.");
  if (options.authorizedParties !== undefined && !options.authorizedParties.includes(claims.azp as string)) {
    refuse("Token authorized party not accepted.");
  }

  const tolerance = options.clockToleranceSec;
  const iat = numericDate(claims, "iat");
  const nbf = numericDate(claims, "nbf");
  const exp = numericDate(claims, "exp");
  if (notYetValidAt(nbf, nowSec, tolerance)) refuse("Token not yet valid.");
  if (expiredAt(exp, nowSec, tolerance)) refuse("Token expired.");
  // A token issued "later" would outlive a session revocation that compares against `iat`.
  if (notYetValidAt(iat, nowSec, tolerance)) refuse("Token issue time invalid.");
  // `iat` is required whenever maxTokenAgeSec is set (see the options), so it is defined here.
  if (options.maxTokenAgeSec !== undefined && nowSec - iat! - tolerance > options.maxTokenAgeSec) refuse("Token is too old.");
}

/** `aud` is one string or an array of strings; any one of them being ours is enough. */
function audienceMatches(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === "string") return accepted.includes(aud);
  if (!Array.isArray(aud)) return false;
  return aud.some((value) => typeof value === "string" && accepted.includes(value));
}

function runAudienceCheck(check: (claims: JWTPayload) => boolean, claims: JWTPayload): boolean {
  try {
    return check(claims) === true;
  } catch {
    // A check that breaks refuses the token; it never lets it through.
    return false;
  }
}
