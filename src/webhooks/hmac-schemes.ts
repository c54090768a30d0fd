/**
 * `sha256`, `sha1`, `base64Sha256`, `base64Sha1`: an HMAC of the raw body in
 * one header (GitHub-style `sha256=<hex>`, Shopify-style bare base64).
 * @internal
 * @module
 */
import { matchSecret } from "./constant-time.js";
import { decodeBase64, decodeHex, fail, requireHeader } from "./input.js";
import { hmac, replayKey, textKey, type SchemeImpl } from "./scheme.js";

type Algorithm = "sha256" | "sha1";
type Encoding = "hex" | "base64";

/**
 * Splits an optional `<algorithm>=` prefix off the header value. A prefix
 * naming another algorithm is malformed rather than silently ignored.
 */
function stripPrefix(value: string, algorithm: Algorithm): string {
  // "name=<digest>"; base64 "=" padding only ever ends the value, so it never matches.
  const match = /^([a-z][a-z0-9-]*)=([^=].*)$/i.exec(value);
  if (match === null) return value;
  if (match[1]!.toLowerCase() !== algorithm) fail("malformed_header", `Webhook signature must be a ${algorithm} HMAC.`);
  return match[2]!;
}

function hmacScheme(name: string, algorithm: Algorithm, encoding: Encoding): SchemeImpl {
  return {
    defaultHeader: "x-webhook-signature",
    key: textKey,
    verify({ body, read, keys, signatureHeader }) {
      const encoded = stripPrefix(requireHeader(read, signatureHeader), algorithm);
      const candidate = encoding === "hex" ? decodeHex(encoded) : decodeBase64(encoded);
      if (candidate === undefined) fail("malformed_header", `Webhook signature is not valid ${encoding}.`);
      const expected = keys.map((key) => hmac(algorithm, key, body));
      const secretIndex = matchSecret(expected, [candidate]);
      if (secretIndex === -1) fail("invalid_signature", "Webhook signature does not match.");
      // No timestamp is signed, so the signature itself identifies the delivery.
      return { secretIndex, replayKey: replayKey(name, expected[secretIndex]!) };
    },
    sign(body, key, _meta) {
      const digest = hmac(algorithm, key, body);
      const value = encoding === "hex" ? `${algorithm}=${digest.toString("hex")}` : digest.toString("base64");
      return { "x-webhook-signature": value };
    },
  };
}

/** @internal */
export const sha256Scheme = hmacScheme("sha256", "sha256", "hex");
/** @internal */
export const sha1Scheme = hmacScheme("sha1", "sha1", "hex");
/** @internal */
export const base64Sha256Scheme = hmacScheme("base64Sha256", "sha256", "base64");
/** @internal */
export const base64Sha1Scheme = hmacScheme("base64Sha1", "sha1", "base64");
