/**
 * `verifyWebhook`: the one entry point for incoming webhooks.
 * @module
 */
import type { ReplayStore } from "../core/index.js";
import { fail, rawPayload, readHeaders } from "./input.js";
import { memoryReplayStore } from "./replay-store.js";
import type { SchemeOutcome } from "./scheme.js";
import { schemeImpl } from "./schemes.js";
import type { VerifiedWebhook, VerifyWebhookOptions, WebhookScheme, WebhookSecret } from "./types.js";

interface ResolvedVerifyOptions {
  readonly secrets: readonly WebhookSecret[];
  readonly signatureHeader: string | undefined;
  readonly toleranceSec: number;
  readonly replayStore: ReplayStore | false;
  readonly maxHeaderBytes: number;
  readonly now: () => Date;
}

let defaultReplayStore: ReplayStore | undefined;

/** Validates and copies the options once; misconfiguration is a TypeError that says what to fix. */
function resolveOptions(options: VerifyWebhookOptions): ResolvedVerifyOptions {
  if (typeof options !== "object" || options === null) throw new TypeError("verifyWebhook: pass an options object.");
  const { secret, secrets, signatureHeader, toleranceSec = 300, replayStore, maxHeaderBytes = 8192, now } = options;
  if (secret !== undefined && secrets !== undefined) {
    throw new TypeError("verifyWebhook: pass either `secret` or `secrets`, not both.");
  }
  const list = secrets !== undefined ? secrets : secret !== undefined ? [secret] : [];
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError("verifyWebhook: pass `secret`, or `secrets` with at least one secret.");
  }
  if (signatureHeader !== undefined && (typeof signatureHeader !== "string" || signatureHeader.trim() === "")) {
    throw new TypeError("verifyWebhook: `signatureHeader` must be a non-empty header name.");
  }
  if (typeof toleranceSec !== "number" || !Number.isFinite(toleranceSec) || toleranceSec <= 0) {
    throw new TypeError("verifyWebhook: `toleranceSec` must be a positive number of seconds.");
  }
  if (!Number.isInteger(maxHeaderBytes) || maxHeaderBytes < 1) {
    throw new TypeError("verifyWebhook: `maxHeaderBytes` must be a positive integer.");
  }
  if (replayStore !== undefined && replayStore !== false && typeof replayStore?.seen !== "function") {
    throw new TypeError("verifyWebhook: `replayStore` must have a `seen(key, ttlSec)` method, or be `false`.");
  }
  if (now !== undefined && typeof now !== "function") throw new TypeError("verifyWebhook: `now` must be a function.");
  return Object.freeze({
    secrets: Object.freeze([...list]),
    signatureHeader: signatureHeader?.trim(),
    toleranceSec,
    replayStore: replayStore ?? (defaultReplayStore ??= memoryReplayStore()),
    maxHeaderBytes,
    now: now ?? (() => new Date()),
  });
}

/** Checks signed times against the clock; returns how long the delivery stays acceptable (seconds). */
function checkTime(outcome: SchemeOutcome, nowMs: number, toleranceSec: number): number {
  // An invalid clock would make every comparison false and accept anything.
  if (!Number.isFinite(nowMs)) throw new TypeError("verifyWebhook: `now` must return a valid Date.");
  const tolMs = toleranceSec * 1000;
  if (outcome.expiresAt !== undefined && outcome.expiresAt.getTime() <= nowMs) {
    fail("timestamp_too_old", "Webhook has expired.");
  }
  if (outcome.timestamp === undefined) return toleranceSec;
  const t = outcome.timestamp.getTime();
  if (t < nowMs - tolMs) fail("timestamp_too_old", "Webhook timestamp is outside the tolerance.");
  if (t > nowMs + tolMs) fail("timestamp_in_future", "Webhook timestamp is in the future.");
  // A timestamp ahead of our clock stays acceptable for longer than the tolerance.
  return Math.max(1, Math.ceil((t + tolMs - nowMs) / 1000));
}

/**
 * Verifies an incoming webhook: the signature first (constant time, every
 * secret compared), and only then the signed timestamp and replay.
 * @returns what was verified, including which secret matched
 * @throws WebhookVerificationError (`WEBHOOK_VERIFICATION_FAILED`, HTTP 401) with a `reason`:
 *   `unsupported_scheme`, `payload_not_raw`, `missing_header`, `malformed_header`,
 *   `invalid_signature`, `body_hash_mismatch`, `timestamp_too_old`, `timestamp_in_future`, `replayed`
 * @throws TypeError on misconfiguration (no secret, bad tolerance, ...)
 * @example
 * const body = await readRawBody(request);
 * const { id } = await verifyWebhook("standard", { payload: body, headers: request.headers, secret: process.env.WEBHOOK_SECRET });
 */
export async function verifyWebhook(scheme: WebhookScheme, options: VerifyWebhookOptions): Promise<VerifiedWebhook> {
  const impl = schemeImpl(scheme);
  if (impl === undefined) fail("unsupported_scheme", "Unsupported webhook scheme.");
  const resolved = resolveOptions(options);
  const keys = resolved.secrets.map((secret) => impl.key(secret));
  const body = rawPayload(options.payload);
  const read = readHeaders(options.headers, resolved.maxHeaderBytes);

  const outcome = impl.verify({ body, read, keys, signatureHeader: resolved.signatureHeader ?? impl.defaultHeader });
  const ttlSec = checkTime(outcome, resolved.now().getTime(), resolved.toleranceSec);
  // Recorded last, so invalid or stale deliveries can never fill the store.
  if (resolved.replayStore !== false && outcome.replayKey !== undefined) {
    if (await resolved.replayStore.seen(outcome.replayKey, ttlSec)) fail("replayed", "Webhook was already received.");
  }
  return {
    scheme,
    ...(outcome.id !== undefined && { id: outcome.id }),
    ...(outcome.timestamp !== undefined && { timestamp: outcome.timestamp }),
    secretIndex: outcome.secretIndex,
  };
}
