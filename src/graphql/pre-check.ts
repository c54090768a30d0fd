/**
 * Per request, before execution: decide which planned fields are included
 * (@skip/@include against the variables) and evaluate each distinct
 * pre-execution (rule, args) once — never per list item.
 * @module
 */
import { getArgumentValues, getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, type GraphQLSchema } from "graphql";
import type { SecurityContext } from "../core/index.js";
import { rolesFromKey, rolesKey } from "../policy/evaluate.js";
import { ALLOW, isPromise, chain, type RequestEval, type Verdict } from "./evaluate.js";
import type { NamedRule } from "./field-rules.js";
import type { Condition, Plan, PlanField } from "./plan.js";
import type { PromiseOrValue, RuleInfo } from "./types.js";

/** The decision for one included plan field. @internal */
export interface FieldDecision {
  readonly verdict: Verdict;
  /** Rule that decided (the denying one, or the last one that allowed). */
  readonly rule: string;
}

/** Arguments of a field in a request, with their cache key. @internal */
export interface FieldArgs {
  readonly values: Record<string, unknown>;
  readonly key: string;
}

/** Result of the pre-execution phase. Arrays are indexed by `PlanField.index`. @internal */
export interface PreCheck {
  readonly included: readonly PlanField[];
  /** `undefined` for fields not included (or whose arguments are invalid). */
  readonly args: ReadonlyArray<FieldArgs | undefined>;
  /** `undefined` for fields not included. */
  readonly decisions: ReadonlyArray<FieldDecision | undefined>;
  /** Every included field is allowed: nothing is denied before execution. */
  readonly allAllowed: boolean;
}

const UNCOVERED: FieldDecision = Object.freeze({ verdict: Object.freeze({ ok: false, reason: "no rule covers this field" }), rule: "secure-by-default" });
const BAD_ARGS: FieldDecision = Object.freeze({ verdict: Object.freeze({ ok: false, reason: "invalid arguments" }), rule: "arguments" });
let uncacheable = 0;

function passes(node: Condition, vars: Record<string, unknown>): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, vars)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, vars)?.if !== false;
  } catch {
    // An `if` that cannot be read (null for Boolean!): graphql-js reports that error where it
    // collects the field; here the field counts as included, so its rules are decided.
    return true;
  }
}

/** Builds the info object a rule receives. @internal */
export function ruleInfo(f: PlanField, path: ReadonlyArray<string | number>, security: SecurityContext, schema: GraphQLSchema, plan: Plan, vars: Record<string, unknown>): RuleInfo {
  return {
    coordinate: f.rules.coordinate,
    parentTypeName: f.parentType.name,
    fieldName: f.fieldName,
    path,
    security,
    schema,
    operation: plan.operation,
    fieldNodes: f.nodes,
    variableValues: vars,
  };
}

/** Evaluates `rules` in order; the first denial decides. @internal */
export function decide(
  rules: readonly NamedRule[],
  run: (r: NamedRule) => PromiseOrValue<Verdict>,
  from = 0,
): PromiseOrValue<FieldDecision> {
  for (let i = from; i < rules.length; i++) {
    const named = rules[i]!;
    const v = run(named);
    if (isPromise(v)) return v.then((r) => (r.ok ? decide(rules, run, i + 1) : { verdict: r, rule: named.name }));
    if (!v.ok) return { verdict: v, rule: named.name };
  }
  return { verdict: ALLOW, rule: rules[rules.length - 1]?.name ?? "allow" };
}

/**
 * The decision of rules that need no evaluation (only `allow`/`deny`
 * constants, or none: post rules decide later), or `null`. Computed once per
 * coordinate; most fields of a secure-by-default layout are constant. @internal
 */
export function constantDecision(rules: readonly NamedRule[]): FieldDecision | null {
  if (!rules.every((r) => r.rule.kind === "allow" || r.rule.kind === "deny")) return null;
  const denied = rules.find((r) => r.rule.kind === "deny");
  return Object.freeze(denied ? { verdict: Object.freeze({ ok: false, reason: "deny rule" }), rule: denied.name } : { verdict: ALLOW, rule: rules[rules.length - 1]?.name ?? "allow" });
}

function argsOf(f: PlanField, vars: Record<string, unknown>): FieldArgs | null {
  if (f.staticArgs) return f.staticArgs;
  let values: Record<string, unknown>;
  try {
    values = f.field ? getArgumentValues(f.field, f.nodes[0]!, vars) : {};
  } catch {
    return null;
  }
  let key: string;
  try {
    key = JSON.stringify(values);
  } catch {
    key = `\u0000uncacheable${uncacheable++}`;
  }
  return { values, key };
}

/**
 * Plans whose pre-execution result can depend on nothing but the caller's
 * roles: no `@skip`/`@include`, arguments without variables, and every
 * field constant, uncovered, or guarded by `policy()` alone.
 */
const roleOnlyPlans = new WeakMap<Plan, boolean>();

function roleOnly(plan: Plan): boolean {
  let only = roleOnlyPlans.get(plan);
  if (only === undefined) {
    only = !plan.hasConditional && plan.all.every((f) => f.rules.uncovered || ((f.constant !== null || f.soloPolicy !== null) && (f.staticArgs !== null || f.field === null)));
    roleOnlyPlans.set(plan, only);
  }
  return only;
}

/** Results of role-only plans per role set; a few role sets per plan are typical. */
const byRoleSet = new WeakMap<Plan, Map<string, PreCheck>>();
const ROLE_SETS_PER_PLAN = 64;

/**
 * Runs the pre-execution phase; synchronous unless a rule returns a promise.
 * A plan decided by roles alone is decided once per role set: the result is
 * kept (frozen) once the policy engine answered every field from the roles
 * the key was made of. @internal
 */
export function preCheck(plan: Plan, req: RequestEval, security: SecurityContext, schema: GraphQLSchema, vars: Record<string, unknown>): PromiseOrValue<PreCheck> {
  if (!roleOnly(plan)) return check(plan, req, security, schema, vars, null);
  const key = rolesKey(req.roles);
  if (key === null) return check(plan, req, security, schema, vars, null);
  const known = byRoleSet.get(plan)?.get(key);
  if (known) return known;
  const roles = rolesFromKey(key);
  const result = check(plan, req, security, schema, vars, roles);
  if (!isPromise(result) && keepable.has(result)) {
    let perPlan = byRoleSet.get(plan);
    if (!perPlan) byRoleSet.set(plan, (perPlan = new Map()));
    if (perPlan.size >= ROLE_SETS_PER_PLAN) perPlan.clear();
    perPlan.set(
      key,
      Object.freeze({ included: Object.freeze(result.included), args: Object.freeze(result.args), decisions: Object.freeze(result.decisions), allAllowed: result.allAllowed }),
    );
  }
  return result;
}

function everyAllowed(included: readonly PlanField[], decisions: ReadonlyArray<FieldDecision | undefined>): boolean {
  for (let i = 0; i < included.length; i++) if (decisions[included[i]!.index]?.verdict.ok !== true) return false;
  return true;
}

/** Results whose every policy decision came from the roles alone. */
const keepable = new WeakSet<PreCheck>();

function check(plan: Plan, req: RequestEval, security: SecurityContext, schema: GraphQLSchema, vars: Record<string, unknown>, roles: readonly string[] | null): PromiseOrValue<PreCheck> {
  let byRolesOnly = roles !== null;
  const n = plan.all.length;
  // Without @skip/@include every planned field is included: no per-request list.
  const flags = plan.hasConditional ? new Uint8Array(n) : null;
  const included: PlanField[] = flags ? [] : (plan.all as PlanField[]);
  const args = new Array<FieldArgs | undefined>(n);
  const decisions = new Array<FieldDecision | undefined>(n);
  let pending: Promise<void>[] | null = null;
  for (const f of plan.all) {
    if (flags) {
      if (f.parent && flags[f.parent.index] === 0) continue;
      if (f.conditional && !f.conds.some((list) => list.every((node) => passes(node, vars)))) continue;
      flags[f.index] = 1;
      included.push(f);
    }
    if (f.rules.uncovered) {
      decisions[f.index] = UNCOVERED;
      continue;
    }
    const a = argsOf(f, vars);
    if (!a) {
      decisions[f.index] = BAD_ARGS;
      continue;
    }
    args[f.index] = a;
    if (f.constant) {
      decisions[f.index] = f.constant;
      continue;
    }
    const solo = f.soloPolicy;
    if (solo) {
      // The commonest non-constant field: asked of the engine directly, with no rule info built.
      let verdict = roles === null ? undefined : req.policyByRoles(solo.resource, roles);
      if (verdict === undefined) {
        byRolesOnly = false;
        verdict = req.policy(solo.resource, a.values);
      }
      decisions[f.index] = verdict.ok ? solo.allowed : { verdict, rule: solo.rule };
      continue;
    }
    byRolesOnly = false;
    const info = ruleInfo(f, f.path, security, schema, plan, vars);
    const d = decide(f.rules.pre, (r) => req.run(r.rule, a.values, a.key, info));
    if (isPromise(d)) {
      (pending ??= []).push(
        d.then(
          (r) => void (decisions[f.index] = r),
          () => void (decisions[f.index] = UNCOVERED),
        ),
      );
    } else decisions[f.index] = d;
  }
  if (pending) return chain(Promise.all(pending), () => ({ included, args, decisions, allAllowed: everyAllowed(included, decisions) }));
  const result: PreCheck = { included, args, decisions, allAllowed: everyAllowed(included, decisions) };
  if (byRolesOnly) keepable.add(result);
  return result;
}
