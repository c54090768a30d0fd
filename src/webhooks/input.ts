/**
 * Reading untrusted input: headers (bounded, case-insensitive, unambiguous),
 * the raw payload and encoded signatures. Every failure is a
 * `WebhookVerificationError` whose message names no secret or signature.
 * @internal
 * @module
 */
import { WebhookVerificationError, type WebhookFailureReason } from "../core/index.js";
import type { WebhookHeaders } from "./types.js";

const encoder = new TextEncoder();

/** Throws the typed failure. @internal */
export function fail(reason: WebhookFailureReason, message?: string): never {
  throw new WebhookVerificationError(reason, message);
}

/** A Fetch `Headers`, also from another realm or a polyfill (duck-typed). */
function isHeadersLike(value: unknown): value is Headers {
  return (
    (typeof Headers !== "undefined" && value instanceof Headers) ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as Headers).get === "function" &&
      typeof (value as Headers).forEach === "function")
  );
}

/** Reads one header by name; `undefined` when absent. @internal */
export type HeaderReader = (name: string) => string | undefined;

/**
 * Builds a reader over a snapshot of `headers`, so later mutation by the
 * caller cannot change what was verified.
 * @internal
 */
export function readHeaders(headers: WebhookHeaders, maxBytes: number): HeaderReader {
  const snapshot = new Map<string, string | string[]>();
  if (isHeadersLike(headers)) {
    headers.forEach((value, name) => snapshot.set(name.toLowerCase(), value));
  } else if (typeof headers === "object" && headers !== null) {
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      const key = name.toLowerCase();
      // "X-Sig" and "x-sig" both present: which one was meant is ambiguous, so neither is trusted.
      snapshot.set(key, snapshot.has(key) ? [] : value);
    }
  } else {
    throw new TypeError("verifyWebhook: `headers` must be a Headers object or a plain object of header values.");
  }
  return (name) => {
    const raw = snapshot.get(name.toLowerCase());
    if (raw === undefined) return undefined;
    // Several values for a signature header is never legitimate; refuse to pick one.
    if (Array.isArray(raw) && raw.length !== 1) fail("malformed_header", `Webhook header "${name}" appears more than once.`);
    const value = Array.isArray(raw) ? raw[0]! : raw;
    if (typeof value !== "string") fail("malformed_header", `Webhook header "${name}" is not a string.`);
    if (encoder.encode(value).byteLength > maxBytes) fail("malformed_header", `Webhook header "${name}" is too large.`);
    return value.trim();
  };
}

/** Reads a header that must be present and non-empty. @internal */
export function requireHeader(read: HeaderReader, name: string): string {
  const value = read(name);
  if (value === undefined || value === "") fail("missing_header", `Webhook header "${name}" is missing.`);
  return value;
}

/**
 * Copies the raw payload into bytes. Anything but a non-empty string or
 * byte array fails closed: a parsed object cannot be verified (re-serializing
 * it never reproduces the signed bytes reliably), and an empty body almost
 * always means a body parser consumed the stream first.
 * @internal
 */
export function rawPayload(payload: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (typeof payload === "string") bytes = encoder.encode(payload);
  else if (payload instanceof Uint8Array) bytes = new Uint8Array(payload);
  else fail("payload_not_raw", "Webhook payload must be the raw body (string or bytes), not a parsed object.");
  if (bytes.byteLength === 0) {
    fail("payload_not_raw", "Webhook payload is empty; pass the raw body (was it consumed by a body parser?).");
  }
  return bytes;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Decodes hex, or `undefined` when it is not valid hex. @internal */
export function decodeHex(text: string): Uint8Array | undefined {
  return HEX.test(text) ? Buffer.from(text, "hex") : undefined;
}

/** Decodes standard base64 (padding optional), or `undefined` when invalid. @internal */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text) || text.replace(/=+$/, "").length % 4 === 1) return undefined;
  return Buffer.from(text, "base64");
}

/** Decodes unpadded base64url (JWT segments), or `undefined` when invalid. @internal */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, "base64url");
}

/** Encodes text as UTF-8 bytes. @internal */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Concatenates byte arrays (signed content such as `<t>.<body>`). @internal */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
