import type { Logger } from "pino";

/** What happened. */
export type SecurityEventName = "login_failed" | "rate_limited" | "token_refused";

/** One security event: who (as claimed), from where, never a password or token. */
export interface SecurityEvent {
  event: SecurityEventName;
  /** The client address (see `clientAddress`). */
  clientAddress: string;
  /** The normalised username a login claimed. */
  username?: string;
  /** Which limit answered 429: per username, per address, or the password-check gate. */
  limit?: "username" | "address" | "busy";
  /** The error code sent to the client, e.g. `INVALID_CREDENTIALS`. */
  code?: string;
}

/** Writes security events to the app's log. */
export type SecurityEventLog = (event: SecurityEvent) => void;

const MAX_USERNAME = 100;

/**
 * One structured `warn` line per event on the app's pino logger, tagged
 * `security: true` so a log pipeline can route them. Only the fields of
 * {@link SecurityEvent} are written (an explicit copy, not the caller's object),
 * so a password or token can never ride along. Never throws.
 */
export function createSecurityEventLog(logger: Logger): SecurityEventLog {
  const log = logger.child({ security: true });
  return (e) => {
    try {
      const line: SecurityEvent = { event: e.event, clientAddress: e.clientAddress };
      if (e.username !== undefined) line.username = e.username.slice(0, MAX_USERNAME);
      if (e.limit !== undefined) line.limit = e.limit;
      if (e.code !== undefined) line.code = e.code;
      log.warn(line, "security event");
    } catch {
      // A broken log sink must not change the answer.
    }
  };
}
