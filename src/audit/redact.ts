/**
 * Turns whatever a caller handed to the audit log into a safe event. An
 * allow-list, not a deny-list: only the documented keys survive, so a new
 * field (argument values, a token, response data) can never leak by accident.
 * @module
 */
import type { AuditEvent } from "./types.js";

/** The keys an audit event may carry, in output order. @internal */
export const AUDIT_EVENT_KEYS: readonly (keyof AuditEvent)[] = Object.freeze([
  "time",
  "requestId",
  "identityId",
  "identityType",
  "coordinate",
  "path",
  "action",
  "operationName",
  "rule",
  "policyId",
  "decision",
  "code",
  "reason",
]);

/** Longest string kept; longer ones are cut so one event cannot flood a log line. */
const MAX_STRING = 512;

function safeScalar(value: unknown): string | number | boolean | null | undefined {
  if (value === null) return null;
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  // Objects, arrays, functions: could hold data the caller may not see.
  return undefined;
}

/**
 * A copy of `event` holding only documented keys with scalar values, minus
 * `redact`. `time` defaults to now and `identityId` to `null` (anonymous).
 * @internal
 */
export function toSafeEvent(event: AuditEvent, redact: ReadonlySet<string>, now: () => Date): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = event as unknown as Record<string, unknown>;
  for (const key of AUDIT_EVENT_KEYS) {
    if (redact.has(key)) continue;
    const value = safeScalar(source[key]);
    if (value !== undefined) out[key] = value;
  }
  if (!redact.has("time") && typeof out.time !== "string") out.time = now().toISOString();
  if (!redact.has("identityId") && !("identityId" in out)) out.identityId = null;
  return out;
}
