/**
 * `authz.execute`: pre-execution checks, then graphql-js `execute` on the
 * ORIGINAL schema when nothing is denied (no per-field cost), or on the
 * gated copy when something is; then post-execution rules.
 * @module
 */
import {
  execute as graphqlExecute,
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLResolveInfo,
  visit,
} from "graphql";
import { createSecurityContext, type SecurityContext } from "../core/index.js";
import { createRequestEval, isPromise, chain } from "./evaluate.js";
import { denialError, denialInfo, rewriteErrors, type DenialInfo } from "./errors.js";
import type { Plan, PlanField } from "./plan.js";
import { postPhase } from "./post-phase.js";
import { preCheck, type PreCheck } from "./pre-check.js";
import { AuthzRequest, type Runtime } from "./request.js";
import type { Executor, PromiseOrValue } from "./types.js";
import type { FieldCheck, FieldGate } from "./wrapped-schema.js";
import { sourceJudge } from "./compat/source-rules.js";
import { runCompiled } from "./compiled.js";
import { withDenials } from "./recorded-denials.js";

export type { Runtime } from "./request.js";

const GENERIC = "Not authorized.";

function failure(message: string, code = "FORBIDDEN"): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

/** The security context of a request; anonymous when missing, never "allow because missing". */
function securityOf(rt: Runtime, contextValue: unknown): SecurityContext {
  return rt.opts.getSecurity(contextValue) ?? createSecurityContext({ identity: null, permissions: [] });
}

/**
 * Subscriptions: decides the root fields before subscribing. Returns the
 * error result when a root field is denied, else `null`. @internal
 */
export async function rootCheck(rt: Runtime, args: ExecutionArgs): Promise<ExecutionResult | null> {
  const prepared = prepare(rt, args);
  if (!("request" in prepared)) return "result" in prepared ? prepared.result : null;
  const r = prepared.request;
  const pre = await preCheck(r.plan, r.evaluator, r.security, rt.opts.schema, r.vars);
  const errors: GraphQLError[] = [];
  for (const f of pre.included) {
    const d = pre.decisions[f.index]!;
    if (f.parent !== null || d.verdict.ok) continue;
    const error = r.deny(f, f.path, d);
    if (error) errors.push(error);
  }
  return errors.length > 0 ? { errors } : null;
}

type Prepared = { request: AuthzRequest } | { result: PromiseOrValue<ExecutionResult> } | { bypass: true };

function prepare(rt: Runtime, args: ExecutionArgs): Prepared {
  if (args.schema !== undefined && args.schema !== rt.opts.schema) {
    throw new TypeError("authz.execute: `args.schema` is not the schema given to createAuthz; pass authz.schema.");
  }
  const plan = rt.plans.get(args.document, args.operationName);
  // No plan: graphql-js refuses the operation (unknown/ambiguous operation) before any resolver.
  if (!plan) return { bypass: true };
  let security: SecurityContext;
  try {
    security = securityOf(rt, args.contextValue);
    if (security.isAuthorizationDisabled) return { bypass: true };
  } catch {
    return { result: failure(GENERIC) };
  }
  let vars: Record<string, unknown> = {};
  if (plan.operation.variableDefinitions?.length) {
    const coerced = getVariableValues(rt.opts.schema, plan.operation.variableDefinitions, args.variableValues ?? {});
    // graphql-js's own answer, given here: handing the call on would trust a custom scalar to fail twice.
    if (coerced.errors) return { result: { errors: coerced.errors } };
    vars = coerced.coerced;
  }
  const audit = rt.opts.audit ? { sink: rt.opts.audit, security, action: plan.action, operationName: plan.operation.name?.value } : null;
  const evaluator = createRequestEval(rt.shared, args.contextValue, security, plan.action);
  return { request: new AuthzRequest(rt, args, plan, security, vars, evaluator, audit) };
}

/** `authz.execute`. @internal */
export function authzExecute(rt: Runtime, args: ExecutionArgs, executor?: Executor): PromiseOrValue<ExecutionResult> {
  const prepared = prepare(rt, args);
  if ("result" in prepared) return prepared.result;
  if ("bypass" in prepared) return chain(graphqlExecute({ ...args, schema: rt.opts.schema }), rewriteErrors);
  const request = prepared.request;
  if (typeof executor === "function") request.executor = executor;
  const pre = runPreCheck(request);
  return isPromise(pre) ? pre.then((p) => afterPreCheck(request, p)) : afterPreCheck(request, pre);
}

/**
 * Pre-execution decisions. A plan whose post rules read fields the client
 * selected runs as planned only when those fields are included and nothing
 * is denied; otherwise the variant that injects every rule input runs, so a
 * rule never judges a value that was withheld from the client.
 */
function runPreCheck(r: AuthzRequest): PromiseOrValue<PreCheck> {
  const pre = preCheck(r.plan, r.evaluator, r.security, r.rt.opts.schema, r.vars);
  if (!r.plan.fallback) return pre;
  return chain(pre, (p) => {
    // Any denial can withhold a reused value: its own, or one below it that nulls it
    // through a non-null position. Source rules deny inside resolvers, unforeseeable here.
    // A mutation never reads in place: were a client field nulled by an error, it could not run again.
    const served =
      r.plan.action === "query" &&
      p.allAllowed &&
      !r.plan.hasSource &&
      r.plan.guards.every((g) => p.decisions[g.index] !== undefined) &&
      !(runsElsewhere(r) && guardsInFragments(r.plan));
    return served ? p : toFallback(r);
  });
}

/** Switches the request to the plan variant that injects every rule input, and decides its fields. */
function toFallback(r: AuthzRequest): PromiseOrValue<PreCheck> {
  r.plan = r.plan.fallback!;
  return preCheck(r.plan, r.evaluator, r.security, r.rt.opts.schema, r.vars);
}

/** Will the plan's document run on something other than graphql-js (a compiled query, a server's executor)? */
function runsElsewhere(r: AuthzRequest): boolean {
  return r.rt.opts.compile !== null || r.executor !== null;
}

const fragmentGuards = new WeakMap<Plan, boolean>();

/**
 * Does a client field that a rule reads lie in a named fragment? Such a node
 * is reached at every position the fragment is spread; a compiler that keeps
 * @skip/@include per node (graphql-jit joins every position's conditions)
 * may leave it out where graphql-js would not, and the rule would judge its
 * row without it. Only graphql-js is trusted with such a plan.
 */
function guardsInFragments(plan: Plan): boolean {
  let found = fragmentGuards.get(plan);
  if (found === undefined) {
    const inFragments = new Set<FieldNode>();
    for (const fragment of Object.values(plan.fragments)) {
      visit(fragment, {
        Field(node) {
          inFragments.add(node);
        },
      });
    }
    found = plan.guards.some((g) => g.nodes.some((n) => inFragments.has(n)));
    fragmentGuards.set(plan, found);
  }
  return found;
}

function afterPreCheck(r: AuthzRequest, pre: PreCheck): PromiseOrValue<ExecutionResult> {
  const { opts } = r.rt;
  const denied: Array<{ field: PlanField; info: DenialInfo }> = [];
  // With every field allowed and no audit there is nothing to report or collect.
  const fields = pre.allAllowed && r.audit === null ? [] : pre.included;
  for (const f of fields) {
    const d = pre.decisions[f.index]!;
    if (d.verdict.ok) {
      // A field with post rules is reported when they decide.
      if (f.rules.post.length === 0 || f.rules.pre.length > 0) r.allow(f, f.path, d);
      continue;
    }
    const info = r.report(f, f.path, d.rule, d.verdict);
    if (info) denied.push({ field: f, info });
  }
  if (denied.length === 0 && !r.plan.hasPost && !r.plan.hasSource) {
    return chain(executePlan(r), rewriteErrors);
  }
  if (denied.length > 0 && opts.onDenied === "reject") {
    return { errors: denied.map((d) => denialError(d.info, d.field.path, d.field.nodes)) };
  }
  const meta = denied.filter((d) => d.field.field === null);
  if (meta.some((d) => d.field.fieldName === "__schema" || !r.plan.operation.selectionSet.selections.includes(d.field.nodes[0]!))) {
    // `__schema` is non-null: its denial nulls the whole response (spec null propagation).
    return { data: null, errors: meta.map((d) => denialError(d.info, d.field.path, d.field.nodes)) };
  }
  const result = denied.length > 0 || r.plan.hasSource ? runGated(r, pre, denied, meta) : executePlan(r);
  if (!r.plan.post) return chain(result, rewriteErrors);
  const plan = r.plan;
  return chain(result, (res) => {
    if (nullsReused(plan, res)) return rerunInjectingAll(r);
    return chain(postPhase(r, pre, res), rewriteErrors);
  });
}

/**
 * Did an error land at or below a client field that rules read in place
 * (the plan's `guards`)? graphql-js may have nulled that field for the
 * client, and a rule would then judge the null instead of the real value.
 * Rare (a resolver failed) and only for plans that read client fields.
 */
function nullsReused(plan: Plan, res: ExecutionResult): boolean {
  if (plan.guards.length === 0 || !res.errors?.length) return false;
  for (const error of res.errors) {
    const keys = (error.path ?? []).filter((k): k is string => typeof k === "string");
    if (plan.guards.some((g) => g.path.length <= keys.length && g.path.every((k, i) => keys[i] === k))) return true;
  }
  return false;
}

/**
 * Runs the query again on the plan variant that fetches every rule input for
 * the rules alone. Queries only: a plan that reads client fields in place is
 * never served to a mutation (see `runPreCheck`), so nothing runs twice that
 * changes data. Allowed decisions may be audited a second time.
 */
function rerunInjectingAll(r: AuthzRequest): PromiseOrValue<ExecutionResult> {
  return chain(toFallback(r), (p) => afterPreCheck(r, p));
}

/**
 * Nothing denied before execution: the plan's document runs as is, compiled
 * when a compiler is set, else on the caller's executor (a server's own,
 * when it passed one), else on graphql-js.
 */
function executePlan(r: AuthzRequest): PromiseOrValue<ExecutionResult> {
  const compiled = runCompiled(r.rt.opts.compile, r.rt.opts.schema, r.plan, r.args);
  if (compiled) return compiled;
  // Incremental delivery would hand back a stream the post phase cannot judge: graphql-js runs such documents.
  if (!r.executor || isIncremental(r.plan)) return graphqlExecute(r.executionArgs());
  const result = r.executor(r.executionArgs());
  return r.plan.hasPost ? chain(result, singleResult) : result;
}

const incremental = new WeakMap<Plan, boolean>();

/** Does the plan's document use `@defer` or `@stream`? Computed once per plan. */
function isIncremental(plan: Plan): boolean {
  let found = incremental.get(plan);
  if (found === undefined) {
    found = false;
    visit(plan.document, {
      Directive(node) {
        if (node.name.value === "defer" || node.name.value === "stream") found = true;
      },
    });
    incremental.set(plan, found);
  }
  return found;
}

/** A stream where one result was due cannot be judged: fail closed. */
function singleResult(result: ExecutionResult): ExecutionResult {
  if (typeof result === "object" && result !== null && Symbol.asyncIterator in result) {
    return failure("This operation returned a stream, which post-execution rules cannot judge.");
  }
  return result;
}

/** The check of a field that may resolve in every row. */
const RESOLVES: FieldCheck = () => undefined;

/** Runs on the gated schema; denied fields hand graphql-js their located error instead of resolving. */
function runGated(r: AuthzRequest, pre: PreCheck, denied: ReadonlyArray<{ field: PlanField; info: DenialInfo }>, meta: typeof denied): PromiseOrValue<ExecutionResult> {
  const known = knownFields(r.plan, pre.included);
  const judged = r.plan.hasSource ? sourceJudge(r, pathOf) : null;
  const deniedAt: ByNode<DenialInfo> = new Map();
  for (const { field, info } of denied) setByNode(deniedAt, field, info);
  const injected = r.plan.post?.injected;
  const fallback = denialInfo({ ok: false, reason: "not planned" }, r.security);
  const recorded: GraphQLError[] = [];
  const gate: FieldGate = {
    fieldResolver: r.args.fieldResolver ?? undefined,
    record: (denial) => void recorded.push(denial),
    checkOf(info: GraphQLResolveInfo): FieldCheck {
      const node = info.fieldNodes[0]!;
      if (injected?.has(node)) return RESOLVES;
      const d = deniedAt.size === 0 ? undefined : deniedAt.get(node)?.get(info.parentType.name);
      const field = known.get(node)?.get(info.parentType.name);
      // A field the plan did not foresee is denied: fail closed.
      if (d || !field) {
        const denial = d ?? fallback;
        return (at) => denialError(denial, pathOf(at), at.fieldNodes);
      }
      if (judged && field.rules.source.length > 0) return judged.checkOf(field);
      return RESOLVES;
    },
  };
  const gated = r.rt.gated();
  let contextValue = r.args.contextValue;
  if (typeof contextValue !== "object" || contextValue === null) contextValue = {};
  else if (gated.running(contextValue)) contextValue = Object.assign(Object.create(Object.getPrototypeOf(contextValue) as object) as object, contextValue);
  const ctx = contextValue as object;
  const release = gated.enter(ctx, gate);
  let document: DocumentNode = r.plan.document;
  if (meta.length > 0) document = withoutRootFields(document, r.plan, new Set(meta.flatMap((m) => m.field.nodes)));
  let result: PromiseOrValue<ExecutionResult>;
  try {
    result = graphqlExecute({ ...r.args, schema: gated.schema, document, contextValue: ctx });
  } catch (error) {
    release();
    throw error;
  }
  if (isPromise(result)) result = result.finally(release);
  else release();
  result = chain(result, (res) => withDenials(res, recorded));
  if (judged && r.rt.opts.onDenied === "reject") result = chain(result, (res) => (judged.denials.length > 0 ? { errors: judged.denials } : res));
  return meta.length > 0 ? chain(result, (res) => withNullMeta(res, r.plan, meta)) : result;
}

/** Per FieldNode, a value per parent type under which the node was planned (what a resolver's info names). */
type ByNode<T> = Map<FieldNode, Map<string, T>>;

function setByNode<T>(index: ByNode<T>, field: PlanField, value: T): void {
  for (const node of field.nodes) {
    let byType = index.get(node);
    if (!byType) index.set(node, (byType = new Map()));
    byType.set(field.parentType.name, value);
  }
}

type KnownFields = ByNode<PlanField>;
/** Per plan, the index of all its fields: what a request without `@skip`/`@include` includes. */
const everyField = new WeakMap<Plan, KnownFields>();

/**
 * Per FieldNode, the plan field of each parent type under which it was
 * planned and is included. Built once per plan when every field is included
 * (the usual case); per request when `@skip`/`@include` chose a subset.
 */
function knownFields(plan: Plan, included: readonly PlanField[]): KnownFields {
  const all = included === plan.all;
  const cached = all ? everyField.get(plan) : undefined;
  if (cached) return cached;
  const known: KnownFields = new Map();
  for (const f of included) setByNode(known, f, f);
  if (all) everyField.set(plan, known);
  return known;
}

function pathOf(info: GraphQLResolveInfo): Array<string | number> {
  let depth = 0;
  for (let p: GraphQLResolveInfo["path"] | undefined = info.path; p; p = p.prev) depth++;
  const out = new Array<string | number>(depth);
  for (let p: GraphQLResolveInfo["path"] | undefined = info.path; p; p = p.prev) out[--depth] = p.key;
  return out;
}

function withoutRootFields(document: DocumentNode, plan: Plan, drop: ReadonlySet<FieldNode>): DocumentNode {
  const op = plan.operation;
  const operation = { ...op, selectionSet: { ...op.selectionSet, selections: op.selectionSet.selections.filter((s) => !drop.has(s as FieldNode)) } };
  return { ...document, definitions: document.definitions.map((d) => (d === op ? operation : d)) };
}

/** Puts the denied `__type` fields back as null, in document order. */
function withNullMeta(res: ExecutionResult, plan: Plan, meta: ReadonlyArray<{ field: PlanField; info: DenialInfo }>): ExecutionResult {
  const errors = [...meta.map((m) => denialError(m.info, m.field.path, m.field.nodes)), ...(res.errors ?? [])];
  if (!res.data) return { ...res, errors };
  const data: Record<string, unknown> = {};
  const nulls = new Set(meta.map((m) => m.field.responseKey));
  for (const f of plan.roots) if (nulls.has(f.responseKey) || f.responseKey in res.data) data[f.responseKey] = nulls.has(f.responseKey) ? null : res.data[f.responseKey];
  for (const [k, v] of Object.entries(res.data)) if (!(k in data)) data[k] = v;
  return { ...res, data, errors };
}
