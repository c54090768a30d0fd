/**
 * The scheme allowlist.
 * @internal
 * @module
 */
import { base64Sha1Scheme, base64Sha256Scheme, sha1Scheme, sha256Scheme } from "./hmac-schemes.js";
import { jwtScheme } from "./jwt-scheme.js";
import type { SchemeImpl } from "./scheme.js";
import { secretKeyScheme } from "./secret-key-scheme.js";
import { standardScheme } from "./standard-scheme.js";
import { timestampScheme } from "./timestamp-scheme.js";
import type { WebhookScheme } from "./types.js";

const SCHEMES: Readonly<Record<WebhookScheme, SchemeImpl>> = Object.freeze({
  sha256: sha256Scheme,
  sha1: sha1Scheme,
  base64Sha256: base64Sha256Scheme,
  base64Sha1: base64Sha1Scheme,
  timestampScheme,
  jwt: jwtScheme,
  secretKey: secretKeyScheme,
  standard: standardScheme,
});

/** Every supported scheme name. */
export const WEBHOOK_SCHEMES: readonly WebhookScheme[] = Object.freeze(Object.keys(SCHEMES) as WebhookScheme[]);

/**
 * The implementation of an allowed scheme, or `undefined`. An own-property
 * check, so names like `constructor` or `__proto__` never resolve.
 * @internal
 */
export function schemeImpl(scheme: unknown): SchemeImpl | undefined {
  return typeof scheme === "string" && Object.hasOwn(SCHEMES, scheme) ? SCHEMES[scheme as WebhookScheme] : undefined;
}
