/**
 * Typed errors with stable codes. Codes are part of the public API: never
 * rename one. Messages never carry tokens, secrets or data the caller may not see.
 * @module
 */

/** Every code a gatehouse error can carry. */
export type GatehouseErrorCode =
  | "UNAUTHENTICATED"
  | "INVALID_CREDENTIALS"
  | "FORBIDDEN"
  | "INVALID_POLICY"
  | "UNCOVERED_FIELDS"
  | "WEBHOOK_VERIFICATION_FAILED"
  | "RATE_LIMITED";

/** Options accepted by every gatehouse error constructor. */
export interface GatehouseErrorOptions {
  /** The underlying error; kept off the wire (non-enumerable, not in `toJSON`). */
  cause?: unknown;
}

/** Base class: a stable `code`, the HTTP `status` it maps to, and a safe `toJSON`. */
export abstract class GatehouseError extends Error {
  abstract readonly code: GatehouseErrorCode;
  abstract readonly status: number;

  constructor(message: string, options?: GatehouseErrorOptions) {
    super(message);
    this.name = new.target.name;
    if (options && "cause" in options) {
      // Non-enumerable so loggers and JSON serializers don't ship internals by accident.
      Object.defineProperty(this, "cause", { value: options.cause, enumerable: false, writable: true, configurable: true });
    }
  }

  /** Only the message and code are ever serialized. */
  toJSON(): { name: string; code: GatehouseErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** No identity, but the operation needs one. HTTP 401. */
export class NotAuthenticatedError extends GatehouseError {
  readonly code = "UNAUTHENTICATED" as const;
  readonly status = 401;
  constructor(message = "Authentication required.", options?: GatehouseErrorOptions) {
    super(message, options);
  }
}

/** Credentials were presented but are not valid (bad signature, expired, revoked). HTTP 401. */
export class InvalidCredentialsError extends GatehouseError {
  readonly code = "INVALID_CREDENTIALS" as const;
  readonly status = 401;
  constructor(message = "Invalid credentials.", options?: GatehouseErrorOptions) {
    super(message, options);
  }
}

/** An identity is present but not allowed to do this. HTTP 403. */
export class NotAuthorizedError extends GatehouseError {
  readonly code = "FORBIDDEN" as const;
  readonly status = 403;
  constructor(message = "Not authorized.", options?: GatehouseErrorOptions) {
    super(message, options);
  }
}

/** One problem found while validating policies. */
export interface PolicyIssue {
  /** JSON path of the offending value, e.g. `policies[3].effect`. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** Policies failed validation; `issues` lists every problem found. HTTP 500 (a server misconfiguration). */
export class PolicyValidationError extends GatehouseError {
  readonly code = "INVALID_POLICY" as const;
  readonly status = 500;
  readonly issues: readonly PolicyIssue[];
  constructor(issues: readonly PolicyIssue[], options?: GatehouseErrorOptions) {
    const head = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join("; ");
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
    super(`Invalid policy: ${head}${more}`, options);
    this.issues = Object.freeze([...issues]);
  }
}

/** The GraphQL schema has fields that no rule covers. HTTP 500 (a server misconfiguration). */
export class UncoveredSchemaError extends GatehouseError {
  readonly code = "UNCOVERED_FIELDS" as const;
  readonly status = 500;
  readonly coordinates: readonly string[];
  constructor(coordinates: readonly string[], options?: GatehouseErrorOptions) {
    super(`Fields without any authorization rule: ${coordinates.join(", ")}`, options);
    this.coordinates = Object.freeze([...coordinates]);
  }
}

/** Why a webhook was rejected; stable, safe to log. */
export type WebhookFailureReason =
  | "missing_header"
  | "malformed_header"
  | "invalid_signature"
  | "timestamp_too_old"
  | "timestamp_in_future"
  | "replayed"
  | "payload_not_raw"
  | "unsupported_scheme"
  | "body_hash_mismatch";

/** An incoming webhook failed verification. HTTP 401. */
export class WebhookVerificationError extends GatehouseError {
  readonly code = "WEBHOOK_VERIFICATION_FAILED" as const;
  readonly status = 401;
  /** Which check failed; never contains the secret or expected signature. */
  readonly reason: WebhookFailureReason;
  constructor(reason: WebhookFailureReason, message?: string, options?: GatehouseErrorOptions) {
    super(message ?? `Webhook verification failed: ${reason}.`, options);
    this.reason = reason;
  }
}

/** Too many attempts. HTTP 429. */
export class RateLimitedError extends GatehouseError {
  readonly code = "RATE_LIMITED" as const;
  readonly status = 429;
  /** Seconds until a retry may succeed, when known. */
  readonly retryAfterSec: number | undefined;
  constructor(message = "Too many requests.", retryAfterSec?: number, options?: GatehouseErrorOptions) {
    super(message, options);
    this.retryAfterSec = retryAfterSec;
  }
}

/** Every concrete gatehouse error, for exhaustive `switch (err.code)`. */
export type AnyGatehouseError =
  | NotAuthenticatedError
  | InvalidCredentialsError
  | NotAuthorizedError
  | PolicyValidationError
  | UncoveredSchemaError
  | WebhookVerificationError
  | RateLimitedError;

/** Narrows an unknown value to a gatehouse error (works across duplicated module copies). */
export function isGatehouseError(value: unknown): value is AnyGatehouseError {
  return (
    value instanceof GatehouseError ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as { code?: unknown }).code === "string" &&
      typeof (value as { status?: unknown }).status === "number" &&
      GATEHOUSE_CODES.has((value as { code: string }).code))
  );
}

const GATEHOUSE_CODES: ReadonlySet<string> = new Set<GatehouseErrorCode>([
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "FORBIDDEN",
  "INVALID_POLICY",
  "UNCOVERED_FIELDS",
  "WEBHOOK_VERIFICATION_FAILED",
  "RATE_LIMITED",
]);
