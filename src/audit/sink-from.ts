/**
 * `auditSinkFrom`: accept either a plain function or a pino-style logger
 * wherever an `audit` option is taken.
 * @module
 */
import { createAuditLogger, isAuditLoggerLike } from "./create-audit-logger.js";
import type { AuditEvent, AuditLoggerLike, AuditSink } from "./types.js";

const noop: AuditSink = () => {};

/**
 * Normalizes an `audit` option into a sink that never throws.
 * - `undefined`: a sink that drops every event;
 * - a function: called with each event, its errors swallowed;
 * - a pino-style logger: wrapped with {@link createAuditLogger} defaults
 *   (denials only, redacted). Use `createAuditLogger({ logger, logAllows: true })`
 *   to log allows too.
 * @throws TypeError when `audit` is none of these
 * @example
 * const sink = auditSinkFrom(options.audit);
 * sink({ time, identityId, coordinate: "User.email", action: "query", decision: "deny" });
 */
export function auditSinkFrom(audit: AuditSink | AuditLoggerLike | undefined): AuditSink {
  if (audit === undefined || audit === null) return noop;
  if (typeof audit === "function") {
    return (event: AuditEvent) => {
      try {
        audit(event);
      } catch {
        // A failing sink must never break the request it is logging.
      }
    };
  }
  if (isAuditLoggerLike(audit)) return createAuditLogger({ logger: audit });
  throw new TypeError("audit must be a function (event) => void or a logger with info() and warn() methods (e.g. pino).");
}
