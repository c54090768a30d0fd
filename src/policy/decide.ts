/**
 * Turning per-policy outcomes into one decision. Shared by `evaluate` and
 * `explain` so that both always agree.
 *
 * Rules: a matching deny, or a condition that threw, denies (lowest file
 * index wins the report); otherwise a matching allow allows (lowest index);
 * otherwise default deny.
 * @module
 */
import type { CompiledPolicy } from "./compile.js";
import type { Decision } from "./types.js";

/** Reason of a decision when a condition threw. */
export const CONDITION_ERROR = "condition error";

/** Running tally while policies are judged. @internal */
export interface Tally {
  deny: CompiledPolicy | undefined;
  denyIsError: boolean;
  allow: CompiledPolicy | undefined;
}

/** A fresh tally. @internal */
export function newTally(): Tally {
  return { deny: undefined, denyIsError: false, allow: undefined };
}

/** Records a matching policy (or one whose condition threw). @internal */
export function record(tally: Tally, p: CompiledPolicy, error: boolean): void {
  if (p.deny || error) {
    if (!tally.deny || p.index < tally.deny.index) {
      tally.deny = p;
      tally.denyIsError = error;
    }
  } else if (!tally.allow || p.index < tally.allow.index) {
    tally.allow = p;
  }
}

/** Shared frozen decisions for the common no-policy outcomes. @internal */
export const DEFAULT_DENY: Decision = Object.freeze({ allowed: false, effect: "default-deny", reason: "no policy matched" });

/** A default deny with a specific, data-free reason. @internal */
export function defaultDeny(reason: string): Decision {
  return { allowed: false, effect: "default-deny", reason };
}

/** The decision a tally leads to. @internal */
export function conclude(tally: Tally): Decision {
  if (tally.deny) {
    const policyId = tally.deny.id;
    const reason = tally.denyIsError ? CONDITION_ERROR : `denied by policy '${policyId}'`;
    return { allowed: false, effect: "deny", policyId, reason };
  }
  if (tally.allow) {
    return { allowed: true, effect: "allow", policyId: tally.allow.id, reason: `allowed by policy '${tally.allow.id}'` };
  }
  return { ...DEFAULT_DENY };
}
