/**
 * `signWebhook`: the sender's side, for tests and for services that emit webhooks.
 * @module
 */
import { randomBytes } from "node:crypto";
import { WebhookVerificationError } from "../core/index.js";
import { rawPayload } from "./input.js";
import { schemeImpl } from "./schemes.js";
import type { SignWebhookOptions, WebhookScheme } from "./types.js";

/**
 * Signs a payload and returns the headers to send with it (names in lower case).
 * HMAC schemes send `x-webhook-signature: sha256=<hex>` (hex) or bare base64;
 * `timestampScheme` `t=<unix>,v1=<hex>`; `jwt` `authorization: Bearer <HS256 token>`
 * (claims `iat`, `exp` = iat + 300 s, `jti`, `body_sha256`); `secretKey`
 * `x-webhook-secret`; `standard` `webhook-id`, `webhook-timestamp`, `webhook-signature`.
 * @throws TypeError for an unknown scheme, an empty or unusable secret, an empty or
 *   non-raw payload, an invalid `timestamp` or an empty `id`
 * @example
 * const headers = signWebhook("standard", body, { secret: "whsec_...", id: "msg_1" });
 * await fetch(url, { method: "POST", body, headers: { ...headers, "content-type": "application/json" } });
 */
export function signWebhook(
  scheme: WebhookScheme,
  payload: string | Uint8Array,
  options: SignWebhookOptions,
): Record<string, string> {
  const impl = schemeImpl(scheme);
  if (impl === undefined) throw new TypeError(`signWebhook: unknown scheme; use one of the WebhookScheme names.`);
  if (typeof options !== "object" || options === null) throw new TypeError("signWebhook: pass an options object with `secret`.");
  const key = impl.key(options.secret);
  const timestamp = options.timestamp ?? new Date();
  if (!(timestamp instanceof Date) || !Number.isFinite(timestamp.getTime())) {
    throw new TypeError("signWebhook: `timestamp` must be a valid Date.");
  }
  const id = options.id ?? `msg_${randomBytes(16).toString("hex")}`;
  if (typeof id !== "string" || id === "") throw new TypeError("signWebhook: `id` must be a non-empty string.");
  let body: Uint8Array;
  try {
    body = rawPayload(payload);
  } catch (error) {
    // Same rule as the receiver, reported as the programming error it is on this side.
    if (error instanceof WebhookVerificationError) throw new TypeError("signWebhook: `payload` must be a non-empty string or Uint8Array.");
    throw error;
  }
  return impl.sign(body, key, { timestamp, id });
}
