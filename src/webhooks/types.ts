/**
 * Public types of `gatehouse/webhooks`.
 * @module
 */
import type { ReplayStore } from "../core/index.js";

/** Every scheme `verifyWebhook` and `signWebhook` know; anything else is rejected (`unsupported_scheme`). */
export type WebhookScheme =
  | "sha256"
  | "sha1"
  | "base64Sha256"
  | "base64Sha1"
  | "timestampScheme"
  | "jwt"
  | "secretKey"
  | "standard";

/** A signing secret: text (UTF-8, or `whsec_<base64>` for `standard`) or raw key bytes. */
export type WebhookSecret = string | Uint8Array;

/** Request headers as a Fetch `Headers` or a plain object (Node, Lambda); names are case-insensitive. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The raw body exactly as received. A parsed object is rejected (`payload_not_raw`). */
  payload: string | Uint8Array;
  /** The request headers. */
  headers: WebhookHeaders;
  /** The shared secret. Pass either `secret` or `secrets`. */
  secret?: WebhookSecret;
  /**
   * Several secrets accepted at once (key rotation); every one is tried, and
   * `secretIndex` in the result says which matched.
   */
  secrets?: readonly WebhookSecret[];
  /**
   * Header carrying the signature (or token, or shared secret).
   * @default "x-webhook-signature" (HMAC schemes and `timestampScheme`), "authorization" (`jwt`),
   *   "x-webhook-secret" (`secretKey`), "webhook-signature" (`standard`)
   */
  signatureHeader?: string;
  /**
   * How far a signed timestamp may be from now, in seconds, either way; also
   * how long a seen signature is remembered for replay rejection.
   * @default 300
   */
  toleranceSec?: number;
  /**
   * Where seen webhook ids/signatures are remembered; `false` turns replay rejection off.
   * @default a module-level {@link memoryReplayStore} shared by all calls
   */
  replayStore?: ReplayStore | false;
  /**
   * Largest accepted value of any header read, in bytes.
   * @default 8192
   */
  maxHeaderBytes?: number;
  /**
   * The current time (injectable for tests).
   * @default () => new Date()
   */
  now?: () => Date;
}

/** What a successful verification established. */
export interface VerifiedWebhook {
  /** The scheme that verified the webhook. */
  scheme: WebhookScheme;
  /** The sender's message id (`standard`: `webhook-id`; `jwt`: `jti`), for idempotent processing. */
  id?: string;
  /** The signed timestamp (`timestampScheme`, `standard`, `jwt` `iat`). */
  timestamp?: Date;
  /** Index of the secret that matched in `secrets` (0 when `secret` was given). */
  secretIndex: number;
}

/** Options of {@link signWebhook}. */
export interface SignWebhookOptions {
  /** The signing secret. */
  secret: WebhookSecret;
  /**
   * The time to sign (`timestampScheme`, `standard`, `jwt`).
   * @default new Date()
   */
  timestamp?: Date;
  /**
   * Message id (`standard`: `webhook-id`; `jwt`: `jti`).
   * @default a random `msg_<hex>` id
   */
  id?: string;
}
