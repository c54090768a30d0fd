/** The decision an audit event records. */
export type AuditDecision = "allow" | "deny" | "would-deny";

/**
 * One authorization decision, as written to the audit log. Never carries
 * argument values, tokens or response data.
 */
export interface AuditEvent {
  /** ISO-8601 time of the decision. */
  time: string;
  /** `SecurityContext.requestId` of the request. */
  requestId?: string;
  /** `null` for anonymous. */
  identityId: string | null;
  identityType?: string;
  /** Schema coordinate, e.g. `User.email`, or a resource such as `Query::posts`. */
  coordinate: string;
  /** Response path, e.g. `recipes.0.createdBy.email`. */
  path?: string;
  /** Operation type (`query`, `mutation`, `subscription`) or a custom action. */
  action: string;
  /** Operation name, when the document named it. */
  operationName?: string;
  /** Name of the rule that decided. */
  rule?: string;
  /** Id of the policy that decided. */
  policyId?: string;
  decision: AuditDecision;
  /** Error code sent to the client, e.g. `FORBIDDEN`. */
  code?: string;
  /** Short, data-free explanation, e.g. `rule returned false`, `rule threw`. */
  reason?: string;
}

/** Receives audit events. Must not throw; errors are swallowed by callers. */
export type AuditSink = (event: AuditEvent) => void;

/** A pino-style logger: anything with `info` and `warn` methods taking an object first. */
export interface AuditLoggerLike {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}
