/**
 * Turning per-policy outcomes into one decision. Shared by `evaluate` and
 * `explain` so that both always agree.
 *
 * Rules: a matching deny, or a condition that threw, denies (lowest file
 * index wins the report); otherwise a matching allow allows (lowest index);
 * otherwise default deny. Policies that wait for an object the context does
 * not have (`pending`) turn the answer into "depends on the object" when
 * the object could change it; that answer never allows. Decisions are frozen objects built at compile time,
 * so evaluating allocates almost nothing.
 * @module
 */
import type { CompiledPolicy } from "./compile.js";
import type { Decision } from "./types.js";

export { CONDITION_ERROR } from "./compile.js";

/** Running tally while policies are judged. @internal */
export interface Tally {
  deny: CompiledPolicy | undefined;
  denyIsError: boolean;
  allow: CompiledPolicy | undefined;
  pendingDeny: CompiledPolicy | undefined;
  pendingAllow: CompiledPolicy | undefined;
}

/** A fresh tally. @internal */
export function newTally(): Tally {
  return { deny: undefined, denyIsError: false, allow: undefined, pendingDeny: undefined, pendingAllow: undefined };
}

/** Records a matching policy (or one whose condition threw). @internal */
export function record(tally: Tally, p: CompiledPolicy, error: boolean): void {
  if (p.deny || error) {
    if (tally.deny === undefined || p.index < tally.deny.index) {
      tally.deny = p;
      tally.denyIsError = error;
    }
  } else if (tally.allow === undefined || p.index < tally.allow.index) {
    tally.allow = p;
  }
}

/** Records a policy whose outcome depends on the object. @internal */
export function recordPending(tally: Tally, p: CompiledPolicy): void {
  if (p.deny) {
    if (tally.pendingDeny === undefined || p.index < tally.pendingDeny.index) tally.pendingDeny = p;
  } else if (tally.pendingAllow === undefined || p.index < tally.pendingAllow.index) {
    tally.pendingAllow = p;
  }
}

/** Nothing matched. @internal */
export const DEFAULT_DENY: Decision = Object.freeze({ allowed: false, effect: "default-deny", reason: "no policy matched" });
/** The request itself is unusable (not an object, wrong types). @internal */
export const INVALID_INPUT: Decision = Object.freeze({ allowed: false, effect: "default-deny", reason: "invalid input" });
/** The resource is not `"Type::field"`. @internal */
export const MALFORMED_RESOURCE: Decision = Object.freeze({ allowed: false, effect: "default-deny", reason: "malformed resource" });
/** Something unexpected threw; fail closed. @internal */
export const EVALUATION_ERROR: Decision = Object.freeze({ allowed: false, effect: "default-deny", reason: "evaluation error" });

/** The decision a tally leads to. @internal */
export function conclude(tally: Tally): Decision {
  if (tally.deny !== undefined) return tally.denyIsError ? tally.deny.errorDecision : tally.deny.decision;
  // A deny that waits for the object matters only when something could allow.
  if (tally.pendingDeny !== undefined && (tally.allow !== undefined || tally.pendingAllow !== undefined)) {
    return tally.pendingDeny.pendingDecision;
  }
  if (tally.allow !== undefined) return tally.allow.decision;
  if (tally.pendingAllow !== undefined) return tally.pendingAllow.pendingDecision;
  return DEFAULT_DENY;
}
