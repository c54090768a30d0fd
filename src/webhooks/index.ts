/**
 * `gatehouse/webhooks`: verify and sign incoming webhooks. Constant-time
 * comparison, timestamp tolerance, replay rejection and several secrets at
 * once (rotation). No runtime dependencies (node:crypto only).
 * `WebhookVerificationError`, `WebhookFailureReason` and `ReplayStore` come from `gatehouse`.
 * @module
 */
export { verifyWebhook } from "./verify-webhook.js";
export { signWebhook } from "./sign-webhook.js";
export { WEBHOOK_SCHEMES } from "./schemes.js";
export { memoryReplayStore } from "./replay-store.js";
export type { MemoryReplayStoreOptions } from "./replay-store.js";
export { readRawBody, expressRawBody, lambdaRawBody } from "./raw-body.js";
export type { ReadRawBodyOptions, ExpressRawBodyOptions, RawBodyMiddleware, LambdaBodyEvent } from "./raw-body.js";
export type {
  WebhookScheme,
  WebhookSecret,
  WebhookHeaders,
  VerifyWebhookOptions,
  VerifiedWebhook,
  SignWebhookOptions,
} from "./types.js";
