/**
 * Policies that read the object. A policy condition on `root.*` is about the
 * parent object of the field, which exists only after execution: such a
 * field's policy check runs per object as a post rule, with the fields the
 * conditions read fetched for it (and removed from the response when the
 * client did not ask for them), exactly like a post-exec rule's selectionSet.
 * Root fields have no object: their policies stay pre-execution, where a
 * `root.*` condition cannot be evaluated (an allow does not match, a deny does).
 * @module
 */
import { getNamedType, isLeafType, isObjectType, isInterfaceType, Kind, type FieldNode, type GraphQLObjectType, type GraphQLInterfaceType } from "graphql";
import type { EvaluateInput, PolicyEngine } from "../policy/index.js";
import { toPredicate } from "../filter/index.js";
import { ALLOW, verdictOf, type Verdict } from "./evaluate.js";
import { policyPlans, type RowCheck } from "./policy-plans.js";
import type { JudgeScope, PostRule, RowJudge, RuleInfo } from "./types.js";

/** GraphQL actions: a field of an object type can be reached by any operation type. */
const ACTIONS = ["query", "mutation", "subscription"] as const;

/** `root.*` paths (without `root.`) read by the policies that may apply to `resource`. @internal */
export function objectPathsOf(engine: PolicyEngine, resource: string): string[] {
  const paths = new Set<string>();
  // An engine of another make without objectPaths: no per-object check, so root.* conditions cannot be evaluated (never allows).
  if (typeof engine.objectPaths !== "function") return [];
  for (const action of ACTIONS) for (const path of engine.objectPaths(resource, action)) paths.add(path);
  return [...paths].sort();
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

/**
 * The selection that fetches `paths` from objects of `type`. Segments that
 * name no field (or a field needing arguments) are left out: the condition
 * then reads a missing path and cannot be evaluated, which never allows.
 */
function selectionFor(type: GraphQLObjectType | GraphQLInterfaceType, paths: readonly string[][]): FieldNode[] {
  const byField = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    if (!head) continue;
    const list = byField.get(head);
    if (list) list.push(rest);
    else byField.set(head, [rest]);
  }
  const out: FieldNode[] = [];
  for (const [fieldName, rests] of byField) {
    const field = type.getFields()[fieldName];
    if (!field || field.args.some((a) => a.type.toString().endsWith("!") && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      out.push({ kind: Kind.FIELD, name: name(fieldName) });
      continue;
    }
    const deeper = rests.filter((r) => r.length > 0);
    const sub = isObjectType(named) || isInterfaceType(named) ? selectionFor(named, deeper) : [];
    // An object read as a whole (`exists`, say) still needs a selection.
    const selections = sub.length > 0 ? sub : [{ kind: Kind.FIELD, name: name("__typename") } as FieldNode];
    out.push({ kind: Kind.FIELD, name: name(fieldName), selectionSet: { kind: Kind.SELECTION_SET, selections } });
  }
  return out;
}

/** Per engine, the slot of a request's memo that holds its key (see `keyOfRequest`). */
const keySlots = new WeakMap<PolicyEngine, object>();

function keySlotOf(engine: PolicyEngine): object {
  let slot = keySlots.get(engine);
  if (!slot) keySlots.set(engine, (slot = {}));
  return slot;
}

/** Rows of one field evaluated one by one before the field's policies are planned for the request. */
const DIRECT_ROWS = 4;

const REFUSED: Verdict = Object.freeze({ ok: false, reason: "refused by the policies" });

/** Row checks planned from a filter that selects every row: they allow any object. */
const everyRow = new WeakSet<RowCheck>();

/**
 * The post rule that asks the policy engine about one object-level coordinate,
 * or `null` when no policy covering it reads `root`. Per request, the
 * decision is planned once (`engine.plan`: everything but the object decided
 * with the request's context) and compiled into a predicate, so each row
 * costs a few property reads. A row the predicate refuses is decided again
 * by `engine.evaluate`, for the policy id and reason of the denial. @internal
 */
export function objectPolicyRule(engine: PolicyEngine, type: GraphQLObjectType, fieldName: string): PostRule | null {
  const resource = `${type.name}::${fieldName}`;
  const paths = objectPathsOf(engine, resource);
  if (paths.length === 0) return null;
  const remembered = typeof engine.plan === "function" ? policyPlans(engine) : null;
  const planner = (input: EvaluateInput): RowCheck => {
    const filter = engine.plan(input);
    const check = toPredicate(filter);
    if (filter.kind === "all") everyRow.add(check);
    return check;
  };
  const inputFor = (context: unknown, args: Record<string, unknown>, info: RuleInfo, root?: unknown) => {
    const identity = info.security.identity;
    const request = (context as { request?: unknown } | null)?.request;
    return {
      resource,
      action: info.operation.operation,
      roles: identity?.roles ?? [],
      context: root === undefined ? { user: identity, identity, args, request } : { user: identity, identity, args, request, root },
    };
  };
  // The key of a request's roles and context values; when it reads no arguments it is
  // the same for every field of the engine, so it is made once per request.
  const slot = keySlotOf(engine);
  const keyOfRequest = (scope: JudgeScope, context: unknown, args: Record<string, unknown>, info: RuleInfo): string | null => {
    if (remembered === null) return null;
    if (remembered.readsArgs) return remembered.keyOf(inputFor(context, args, info));
    let key = scope.memo.get(slot) as string | null | undefined;
    if (key === undefined) scope.memo.set(slot, (key = remembered.keyOf(inputFor(context, args, info))));
    return key;
  };
  /** The row check remembered for a request's key (`null`: nothing is remembered for it). */
  const rememberedCheck = (key: string | null): RowCheck | undefined => (key === null || remembered === null ? undefined : remembered.get(key));
  const decide = (context: unknown, args: Record<string, unknown>, info: RuleInfo, parent: unknown, planned: boolean): Verdict => {
    const decision = engine.evaluate(inputFor(context, args, info, parent));
    // The plan refused the row: never allow it, even if a single evaluation would.
    if (decision.allowed && planned) return { ok: false, reason: "the policies' row filter refused this object" };
    return verdictOf(decision);
  };
  /**
   * The rows of one field in one request. Planning costs a few evaluations,
   * so the first rows are evaluated directly; a check planned earlier for
   * the same roles and context values serves at once, and a key seen before
   * is planned for now.
   */
  const prepare = (context: unknown, args: Record<string, unknown>, info: RuleInfo, scope: JudgeScope): RowJudge => {
    if (typeof engine.plan !== "function") return (parent, rowInfo) => decide(context, args, rowInfo, parent, false);
    const key = keyOfRequest(scope, context, args, info);
    const known = rememberedCheck(key);
    let check: RowCheck | null = known ?? (key !== null && remembered!.missed(key) ? remembered!.plan(key, inputFor(context, args, info), planner) : null);
    let direct = 0;
    return (parent, rowInfo) => {
      if (check === null) {
        if (direct < DIRECT_ROWS) {
          direct++;
          return decide(context, args, rowInfo, parent, false);
        }
        const input = inputFor(context, args, info);
        const again = remembered?.keyOf(input) ?? null;
        check = (again !== null ? remembered!.plan(again, input, planner) : null) ?? planner(input);
      }
      if (check(parent)) return ALLOW;
      // Which policy denied is asked again only when denials are audited.
      return scope.explain ? decide(context, args, rowInfo, parent, true) : REFUSED;
    };
  };
  // Only a check remembered for this request's key counts: it is what `prepare` would use from the first row.
  const allowsEveryRow = (context: unknown, args: Record<string, unknown>, info: RuleInfo, scope: JudgeScope): boolean => {
    const known = rememberedCheck(keyOfRequest(scope, context, args, info));
    return known !== undefined && everyRow.has(known);
  };
  // One row on its own (the evaluator's path, e.g. a rule shared by several fields of one object).
  const judge = (context: unknown, args: Record<string, unknown>, _value: unknown, parent: unknown, info: RuleInfo): Verdict => decide(context, args, info, parent, false);
  return Object.freeze({
    kind: "post",
    name: "policy",
    selections: selectionFor(type, paths.map((p) => p.split("."))),
    batch: false,
    judge,
    prepare,
    allowsEveryRow,
    // Never called: `judge` decides. Kept so the rule has the post-rule shape.
    fn: () => false,
  });
}
