/**
 * Per request, before execution: decide which planned fields are included
 * (@skip/@include against the variables) and evaluate each distinct
 * pre-execution (rule, args) once — never per list item.
 * @module
 */
import { getArgumentValues, getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, type GraphQLSchema } from "graphql";
import type { SecurityContext } from "../core/index.js";
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

/** Result of the pre-execution phase. @internal */
export interface PreCheck {
  readonly included: readonly PlanField[];
  readonly args: ReadonlyMap<PlanField, { values: Record<string, unknown>; key: string }>;
  readonly decisions: ReadonlyMap<PlanField, FieldDecision>;
}

const UNCOVERED: FieldDecision = Object.freeze({ verdict: Object.freeze({ ok: false, reason: "no rule covers this field" }), rule: "secure-by-default" });
const BAD_ARGS: FieldDecision = Object.freeze({ verdict: Object.freeze({ ok: false, reason: "invalid arguments" }), rule: "arguments" });
let uncacheable = 0;

function passes(node: Condition, vars: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, vars)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, vars)?.if !== false;
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

/** Runs the pre-execution phase; synchronous unless a rule returns a promise. @internal */
export function preCheck(plan: Plan, req: RequestEval, security: SecurityContext, schema: GraphQLSchema, vars: Record<string, unknown>): PromiseOrValue<PreCheck> {
  const includedSet = new Set<PlanField>();
  const included: PlanField[] = [];
  const args = new Map<PlanField, { values: Record<string, unknown>; key: string }>();
  const decisions = new Map<PlanField, FieldDecision>();
  const pending: Promise<void>[] = [];
  for (const f of plan.all) {
    if (f.parent && !includedSet.has(f.parent)) continue;
    if (f.conditional && !f.conds.some((list) => list.every((node) => passes(node, vars)))) continue;
    includedSet.add(f);
    included.push(f);
    if (f.rules.uncovered) {
      decisions.set(f, UNCOVERED);
      continue;
    }
    let a = f.staticArgs;
    if (!a) {
      try {
        const values = f.field ? getArgumentValues(f.field, f.nodes[0]!, vars) : {};
        let key: string;
        try {
          key = JSON.stringify(values);
        } catch {
          key = `\u0000uncacheable${uncacheable++}`;
        }
        a = { values, key };
      } catch {
        decisions.set(f, BAD_ARGS);
        continue;
      }
    }
    args.set(f, a);
    const info = ruleInfo(f, f.path, security, schema, plan, vars);
    const { values, key } = a;
    const d = decide(f.rules.pre, (r) => req.run(r.rule, values, key, info));
    if (isPromise(d)) pending.push(d.then((r) => void decisions.set(f, r), () => void decisions.set(f, UNCOVERED)));
    else decisions.set(f, d);
  }
  const result: PreCheck = { included, args, decisions };
  return pending.length > 0 ? chain(Promise.all(pending), () => result) : result;
}
