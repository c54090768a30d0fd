/**
 * Errors raised by the store. They carry a stable `code` and an HTTP `status`
 * like the core errors, but their codes are store-specific, so they live here
 * rather than widening the core union.
 * @module
 */

/** Every code a store error can carry. Codes are API: never rename one. */
export type StoreErrorCode = "INVALID_INPUT" | "CONFLICT" | "NOT_FOUND" | "STORE_UNAVAILABLE";

function hideCause(error: Error, cause: unknown): void {
  // Non-enumerable so loggers and JSON serializers don't ship driver internals by accident.
  if (cause !== undefined) Object.defineProperty(error, "cause", { value: cause, enumerable: false, writable: true, configurable: true });
}

/**
 * Input that does not fit the store's rules (bad slug, malformed permission list).
 * A `TypeError`, so callers who only check for that still catch it. HTTP 400.
 */
export class StoreInputError extends TypeError {
  readonly code = "INVALID_INPUT" as const;
  readonly status = 400;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = "StoreInputError";
    hideCause(this, options?.cause);
  }
  toJSON(): { name: string; code: StoreErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** Base of the non-input store errors. */
export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;
  abstract readonly status: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    hideCause(this, options?.cause);
  }
  toJSON(): { name: string; code: StoreErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** A row with that key already exists (duplicate slug or username). HTTP 409. */
export class StoreConflictError extends StoreError {
  readonly code = "CONFLICT" as const;
  readonly status = 409;
}

/** A referenced row does not exist (unknown role on assignment, unknown group). HTTP 404. */
export class StoreNotFoundError extends StoreError {
  readonly code = "NOT_FOUND" as const;
  readonly status = 404;
}

/** The database could not be reached or opened. The message never contains the password. HTTP 503. */
export class StoreConnectionError extends StoreError {
  readonly code = "STORE_UNAVAILABLE" as const;
  readonly status = 503;
}

/** Postgres SQLSTATE of a driver error, when it has one. @internal */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Maps unique/foreign-key violations to typed errors; rethrows anything else unchanged. @internal */
export function translateDbError(error: unknown, what: string): never {
  const state = sqlState(error);
  if (state === "23505") throw new StoreConflictError(`${what} already exists.`, { cause: error });
  if (state === "23503") throw new StoreNotFoundError(`${what} refers to something that does not exist.`, { cause: error });
  throw error;
}
