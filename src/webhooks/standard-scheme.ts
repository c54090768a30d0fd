/**
 * `standard`: Standard Webhooks (https://www.standardwebhooks.com/).
 * Headers `webhook-id`, `webhook-timestamp` and `webhook-signature`, the
 * latter a space-separated list of `v1,<base64>` entries; HMAC-SHA256 over
 * `<id>.<timestamp>.<body>` with the base64 key after the `whsec_` prefix.
 * @internal
 * @module
 */
import { matchSecret } from "./constant-time.js";
import { concatBytes, decodeBase64, fail, requireHeader, utf8 } from "./input.js";
import { hmac, parseUnixSeconds, replayKey, unixSeconds, type SchemeImpl } from "./scheme.js";
import type { WebhookSecret } from "./types.js";

const MAX_SIGNATURES = 16;
const SECRET_PREFIX = "whsec_";

/** `whsec_<base64>` (or bare base64, as the reference libraries accept) → key bytes. */
function standardKey(secret: WebhookSecret): Uint8Array {
  if (secret instanceof Uint8Array) {
    if (secret.byteLength === 0) throw new TypeError("verifyWebhook/signWebhook: a webhook secret must not be empty.");
    return new Uint8Array(secret);
  }
  if (typeof secret !== "string") {
    throw new TypeError("verifyWebhook/signWebhook: a webhook secret must be a string or a Uint8Array.");
  }
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = decodeBase64(encoded);
  if (key === undefined || key.byteLength === 0) {
    throw new TypeError('verifyWebhook/signWebhook: a "standard" secret must be "whsec_" followed by base64 key bytes.');
  }
  return key;
}

/** The v1 signatures of the header; other versions (e.g. asymmetric `v1a`) are skipped. */
function parseSignatures(value: string): Uint8Array[] {
  const entries = value.split(" ").filter((entry) => entry !== "");
  if (entries.length > MAX_SIGNATURES) fail("malformed_header", "Webhook signature header has too many signatures.");
  const signatures: Uint8Array[] = [];
  for (const entry of entries) {
    const comma = entry.indexOf(",");
    if (comma <= 0) fail("malformed_header", "Webhook signature entries must be `v1,<base64>`.");
    if (entry.slice(0, comma) !== "v1") continue;
    const bytes = decodeBase64(entry.slice(comma + 1));
    if (bytes === undefined) fail("malformed_header", "Webhook signature is not valid base64.");
    signatures.push(bytes);
  }
  return signatures;
}

function signedContent(id: string, t: string, body: Uint8Array): Uint8Array {
  return concatBytes(utf8(`${id}.${t}.`), body);
}

/** @internal */
export const standardScheme: SchemeImpl = {
  defaultHeader: "webhook-signature",
  key: standardKey,
  verify({ body, read, keys, signatureHeader }) {
    const id = requireHeader(read, "webhook-id");
    const t = requireHeader(read, "webhook-timestamp");
    const header = requireHeader(read, signatureHeader);
    const timestamp = parseUnixSeconds(t);
    if (timestamp === undefined) fail("malformed_header", 'Webhook header "webhook-timestamp" must be Unix seconds.');
    const signatures = parseSignatures(header);
    const expected = keys.map((key) => hmac("sha256", key, signedContent(id, t, body)));
    // No v1 entry at all still compares nothing and ends as invalid_signature.
    const secretIndex = matchSecret(expected, signatures);
    if (secretIndex === -1) fail("invalid_signature", "Webhook signature does not match.");
    // Retries reuse webhook-id with a fresh timestamp and signature (spec), so the
    // key is the signature: an exact re-send is a replay, a genuine retry is not.
    return { secretIndex, id, timestamp, replayKey: replayKey("standard", expected[secretIndex]!) };
  },
  sign(body, key, { timestamp, id }) {
    const t = String(unixSeconds(timestamp));
    const signature = hmac("sha256", key, signedContent(id, t, body)).toString("base64");
    return { "webhook-id": id, "webhook-timestamp": t, "webhook-signature": `v1,${signature}` };
  },
};
