/**
 * Compiles normalized policies into matchers: globs, role sets and
 * conditions are prepared once so that evaluation only compares.
 * @module
 */
import { compileGlob, splitPattern, type GlobMatcher } from "./glob.js";
import { FAILS, PENDING, UNKNOWN, compileCondition, conditionState, isRootPath, type CompiledCondition } from "./conditions.js";
import type { Decision, NormalizedPolicy } from "./types.js";

/** A policy ready to evaluate. @internal */
export interface CompiledPolicy {
  /** Position in the file; the lowest index decides among equals. */
  readonly index: number;
  readonly id: string;
  readonly deny: boolean;
  readonly policy: NormalizedPolicy;
  /** `roles` contains `"*"`: any request, even one without roles. */
  readonly anyRole: boolean;
  readonly roleSet: ReadonlySet<string>;
  readonly roleGlobs: readonly GlobMatcher[];
  readonly actionGlobs: readonly GlobMatcher[];
  /** `[type, field]` matchers per resource pattern. */
  readonly resourceGlobs: readonly (readonly [GlobMatcher, GlobMatcher])[];
  readonly conditions: readonly CompiledCondition[];
  /** The decision this policy yields when it decides (built once, frozen). */
  readonly decision: Decision;
  /** The decision when one of its conditions throws. */
  readonly errorDecision: Decision;
  /** The decision when the outcome depends on an object the context does not have. */
  readonly pendingDecision: Decision;
  /** The `root.*` paths its conditions read, `root.` stripped, in order, without repeats. */
  readonly objectPaths: readonly string[];
}

/** Reason of a decision when a condition threw. @internal */
export const CONDITION_ERROR = "condition error";

function decisionOf(policy: NormalizedPolicy): Decision {
  const { id } = policy;
  return policy.effect === "deny"
    ? Object.freeze({ allowed: false, effect: "deny", policyId: id, reason: `denied by policy '${id}'` })
    : Object.freeze({ allowed: true, effect: "allow", policyId: id, reason: `allowed by policy '${id}'` });
}

function pendingDecisionOf(policy: NormalizedPolicy): Decision {
  const { id } = policy;
  const reason = `depends on the object: policy '${id}' reads root`;
  // Without the object nothing may be allowed; a deny names itself, an allow does not decide.
  return policy.effect === "deny"
    ? Object.freeze({ allowed: false, effect: "deny", policyId: id, reason, dependsOnObject: true })
    : Object.freeze({ allowed: false, effect: "default-deny", reason, dependsOnObject: true });
}

function objectPathsOf(policy: NormalizedPolicy): readonly string[] {
  const paths = new Set<string>();
  for (const c of policy.conditions ?? []) {
    for (const path of [c.field, ...(c.expectedOnContext ?? [])]) {
      if (isRootPath(path) && path !== "root") paths.add(path.slice("root.".length));
    }
  }
  return Object.freeze([...paths]);
}

/** Compiles one validated policy. @internal */
export function compilePolicy(policy: NormalizedPolicy, index: number): CompiledPolicy {
  const exactRoles = policy.roles.filter((r) => !r.includes("*"));
  const globRoles = policy.roles.filter((r) => r.includes("*") && r !== "*");
  return Object.freeze({
    index,
    id: policy.id,
    deny: policy.effect === "deny",
    policy,
    anyRole: policy.roles.includes("*"),
    roleSet: new Set(exactRoles),
    roleGlobs: Object.freeze(globRoles.map(compileGlob)),
    actionGlobs: Object.freeze(policy.actions.map(compileGlob)),
    resourceGlobs: Object.freeze(
      policy.resources.map((r) => {
        const [type, field] = splitPattern(r) as [string, string];
        return Object.freeze([compileGlob(type), compileGlob(field)] as const);
      }),
    ),
    conditions: Object.freeze((policy.conditions ?? []).map(compileCondition)),
    decision: decisionOf(policy),
    errorDecision: Object.freeze({ allowed: false, effect: "deny", policyId: policy.id, reason: CONDITION_ERROR }),
    pendingDecision: pendingDecisionOf(policy),
    objectPaths: objectPathsOf(policy),
  });
}

/** Does any of the caller's roles fit the policy? @internal */
export function roleMatches(p: CompiledPolicy, roles: readonly string[]): boolean {
  if (p.anyRole) return true;
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i];
    if (typeof role !== "string") continue;
    if (p.roleSet.has(role)) return true;
    for (const glob of p.roleGlobs) if (glob(role)) return true;
  }
  return false;
}

/** Does the policy cover this action? @internal */
export function actionMatches(p: CompiledPolicy, action: string): boolean {
  for (const glob of p.actionGlobs) if (glob(action)) return true;
  return false;
}

/** Does the policy cover this resource (already split)? @internal */
export function resourceCovered(p: CompiledPolicy, type: string, field: string): boolean {
  for (const [t, f] of p.resourceGlobs) if (t(type) && f(field)) return true;
  return false;
}

/**
 * Outcome of one policy's conditions: it matches, it does not, it depends on
 * an object the context lacks, or a condition threw (which denies). @internal
 */
export type ConditionsOutcome = "match" | "no-match" | "pending" | "error";

/**
 * Combines the conditions (all must hold) in three-valued logic: a false
 * condition decides "no-match"; a condition that cannot be evaluated makes
 * an allow not match and a deny match, so missing data never weakens a deny.
 * A condition waiting for the object leaves the policy pending, unless the
 * policy is already decided without it. A throw is caught and reported as
 * `"error"`: the engine then denies, because security code fails closed.
 * @internal
 */
export function conditionsOutcome(
  p: CompiledPolicy,
  context: unknown,
  onError?: (policyId: string, error: unknown) => void,
): ConditionsOutcome {
  const conditions = p.conditions;
  if (conditions.length === 0) return "match";
  try {
    let pending = false;
    for (let i = 0; i < conditions.length; i++) {
      const state = conditionState(conditions[i] as CompiledCondition, context);
      if (state === FAILS) return "no-match";
      // Unknown: an allow cannot match; a deny counts the condition as met.
      if (state === UNKNOWN && !p.deny) return "no-match";
      if (state === PENDING) pending = true;
    }
    return pending ? "pending" : "match";
  } catch (error) {
    if (onError) {
      try {
        onError(p.id, error);
      } catch {
        // A failing log hook must not change the decision.
      }
    }
    return "error";
  }
}
