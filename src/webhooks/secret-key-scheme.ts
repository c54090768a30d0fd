/**
 * `secretKey`: the sender puts the shared secret itself in a header. The
 * weakest scheme (nothing binds the body or a time), kept for senders that
 * offer nothing better; compared in constant time like every other scheme.
 * @internal
 * @module
 */
import { matchSecret } from "./constant-time.js";
import { fail, requireHeader, utf8 } from "./input.js";
import { textKey, type SchemeImpl } from "./scheme.js";

/** @internal */
export const secretKeyScheme: SchemeImpl = {
  defaultHeader: "x-webhook-secret",
  key: textKey,
  verify({ read, keys, signatureHeader }) {
    const presented = utf8(requireHeader(read, signatureHeader));
    const secretIndex = matchSecret(keys, [presented]);
    if (secretIndex === -1) fail("invalid_signature", "Webhook secret does not match.");
    // Every delivery carries the same header, so replays cannot be told apart: no replay key.
    return { secretIndex };
  },
  sign(_body, key, _meta) {
    return { "x-webhook-secret": Buffer.from(key).toString("utf8") };
  },
};
