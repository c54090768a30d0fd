/**
 * `timestampScheme` (Stripe-style): header `t=<unix>,v1=<hex>[,v1=<hex>...]`,
 * HMAC-SHA256 over `<t>.<body>`. Several `v1` entries are allowed (the sender
 * rotating secrets); other entries such as `v0` are ignored.
 * @internal
 * @module
 */
import { matchSecret } from "./constant-time.js";
import { concatBytes, decodeHex, fail, requireHeader, utf8 } from "./input.js";
import { hmac, parseUnixSeconds, replayKey, textKey, unixSeconds, type SchemeImpl } from "./scheme.js";

/** More entries than any sender needs: a cap on work per request. */
const MAX_SIGNATURES = 16;

interface TimestampHeader {
  t: string;
  signatures: Uint8Array[];
}

function parseHeader(value: string): TimestampHeader {
  let t: string | undefined;
  const signatures: Uint8Array[] = [];
  for (const item of value.split(",")) {
    const eq = item.indexOf("=");
    if (eq <= 0) fail("malformed_header", "Webhook signature header must be `t=<unix>,v1=<hex>`.");
    const key = item.slice(0, eq).trim();
    const val = item.slice(eq + 1).trim();
    if (key === "t") {
      if (t !== undefined) fail("malformed_header", "Webhook signature header has more than one timestamp.");
      t = val;
    } else if (key === "v1") {
      const bytes = decodeHex(val);
      if (bytes === undefined) fail("malformed_header", "Webhook signature is not valid hex.");
      signatures.push(bytes);
    }
  }
  if (t === undefined || parseUnixSeconds(t) === undefined) {
    fail("malformed_header", "Webhook signature header needs a `t=<unix seconds>` timestamp.");
  }
  if (signatures.length === 0) fail("malformed_header", "Webhook signature header has no `v1` signature.");
  if (signatures.length > MAX_SIGNATURES) fail("malformed_header", "Webhook signature header has too many signatures.");
  return { t, signatures };
}

function signedContent(t: string, body: Uint8Array): Uint8Array {
  return concatBytes(utf8(`${t}.`), body);
}

/** @internal */
export const timestampScheme: SchemeImpl = {
  defaultHeader: "x-webhook-signature",
  key: textKey,
  verify({ body, read, keys, signatureHeader }) {
    const { t, signatures } = parseHeader(requireHeader(read, signatureHeader));
    const content = signedContent(t, body);
    const expected = keys.map((key) => hmac("sha256", key, content));
    const secretIndex = matchSecret(expected, signatures);
    if (secretIndex === -1) fail("invalid_signature", "Webhook signature does not match.");
    return {
      secretIndex,
      timestamp: parseUnixSeconds(t)!,
      // The valid signature covers t and the body: the same delivery re-sent is the same key.
      replayKey: replayKey("timestampScheme", expected[secretIndex]!),
    };
  },
  sign(body, key, { timestamp }) {
    const t = String(unixSeconds(timestamp));
    const v1 = hmac("sha256", key, signedContent(t, body)).toString("hex");
    return { "x-webhook-signature": `t=${t},v1=${v1}` };
  },
};
