/**
 * The shape every scheme implements, and the crypto helpers they share.
 * @internal
 * @module
 */
import { createHash, createHmac } from "node:crypto";
import type { HeaderReader } from "./input.js";
import type { WebhookSecret } from "./types.js";

/** Input of a scheme's signature check. @internal */
export interface SchemeInput {
  /** The raw body. */
  body: Uint8Array;
  /** Reads request headers. */
  read: HeaderReader;
  /** The secrets as HMAC keys, in the caller's order. */
  keys: readonly Uint8Array[];
  /** Header holding the signature. */
  signatureHeader: string;
}

/** What a scheme established once the signature matched. @internal */
export interface SchemeOutcome {
  secretIndex: number;
  id?: string;
  /** Signed time, checked against the tolerance by the caller. */
  timestamp?: Date;
  /** Signed expiry (`jwt` `exp`). */
  expiresAt?: Date;
  /** Identifies this exact delivery; `undefined` when the scheme cannot tell deliveries apart. */
  replayKey?: string;
}

/** One webhook scheme. @internal */
export interface SchemeImpl {
  /** Default header carrying the signature. */
  defaultHeader: string;
  /** Turns a configured secret into key bytes; throws TypeError when unusable. */
  key(secret: WebhookSecret): Uint8Array;
  /**
   * Verifies the signature (constant time, every key) and, only then, reads
   * the signed claims. Throws `WebhookVerificationError`.
   */
  verify(input: SchemeInput): SchemeOutcome;
  /** Produces the headers a sender attaches. */
  sign(body: Uint8Array, key: Uint8Array, meta: { timestamp: Date; id: string }): Record<string, string>;
}

/** HMAC of `data` under `key`. @internal */
export function hmac(algorithm: "sha256" | "sha1", key: Uint8Array, data: Uint8Array | string): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

/** Hex SHA-256 of bytes. @internal */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A fixed-length replay-store key: no signature or id is stored verbatim. @internal */
export function replayKey(scheme: string, ...parts: ReadonlyArray<string | Uint8Array>): string {
  const hash = createHash("sha256").update(scheme);
  for (const part of parts) hash.update("\0").update(part);
  return `gatehouse:webhook:${scheme}:${hash.digest("hex")}`;
}

/** Secret as UTF-8 key bytes (HMAC schemes); rejects an empty secret. @internal */
export function textKey(secret: WebhookSecret): Uint8Array {
  if (typeof secret !== "string" && !(secret instanceof Uint8Array)) {
    throw new TypeError("verifyWebhook/signWebhook: a webhook secret must be a string or a Uint8Array.");
  }
  const bytes = typeof secret === "string" ? new TextEncoder().encode(secret) : new Uint8Array(secret);
  if (bytes.byteLength === 0) throw new TypeError("verifyWebhook/signWebhook: a webhook secret must not be empty.");
  return bytes;
}

/** Parses whole Unix seconds, or `undefined` when not a plain non-negative integer. @internal */
export function parseUnixSeconds(text: string): Date | undefined {
  if (!/^\d{1,12}$/.test(text)) return undefined;
  return new Date(Number(text) * 1000);
}

/** Whole Unix seconds of a date. @internal */
export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
