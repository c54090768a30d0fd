/**
 * Audit events for field decisions. Events name the coordinate, rule,
 * decision, identity and operation; never argument values or data.
 * @module
 */
import type { AuditDecision, AuditSink } from "../audit/types.js";
import type { SecurityContext } from "../core/index.js";
import type { Verdict } from "./evaluate.js";

/** Fields of an event that are the same for the whole request. @internal */
export interface AuditScope {
  readonly sink: AuditSink;
  readonly security: SecurityContext;
  readonly action: string;
  readonly operationName: string | undefined;
}

/** Writes one event; a throwing sink is ignored (audit must never break a request). @internal */
export function emitDecision(
  scope: AuditScope,
  decision: AuditDecision,
  coordinate: string,
  path: ReadonlyArray<string | number>,
  rule: string,
  verdict: Verdict,
  code?: string,
): void {
  const identity = scope.security.identity;
  try {
    scope.sink({
      time: new Date().toISOString(),
      requestId: scope.security.requestId,
      identityId: identity?.id ?? null,
      ...(identity?.type !== undefined ? { identityType: identity.type } : {}),
      coordinate,
      path: path.join("."),
      action: scope.action,
      ...(scope.operationName !== undefined ? { operationName: scope.operationName } : {}),
      rule,
      ...(!verdict.ok && verdict.policyId !== undefined ? { policyId: verdict.policyId } : {}),
      decision,
      ...(code !== undefined ? { code } : {}),
      reason: verdict.ok ? "allowed" : verdict.reason,
    });
  } catch {
    // Swallowed on purpose: see AuditSink.
  }
}
