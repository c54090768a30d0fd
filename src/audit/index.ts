/**
 * gatehouse/audit: a structured, redacted decision log (pino-compatible).
 * @module
 */
export { createAuditLogger } from "./create-audit-logger.js";
export type { AuditLoggerOptions, AuditLogger } from "./create-audit-logger.js";
export { auditSinkFrom } from "./sink-from.js";
export type { AuditEvent, AuditSink, AuditLoggerLike, AuditDecision } from "./types.js";
