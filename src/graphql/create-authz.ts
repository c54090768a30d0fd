/**
 * `createAuthz`: compiles the rule sources once and returns the
 * execution-time authorizer.
 * @module
 */
import {
  createSourceEventStream,
  isObjectType,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from "graphql";
import { UncoveredSchemaError } from "../core/index.js";
import { resourceMatches } from "../policy/index.js";
import { roleDeciderOf } from "../policy/engine.js";
import { accessMatrix, uncovered } from "./coverage.js";
import type { SharedEvalState } from "./evaluate.js";
import { denialError } from "./errors.js";
import { authzExecute, rootCheck, type Runtime } from "./execute.js";
import { createFieldRules, type FieldRules } from "./field-rules.js";
import { resolveOptions } from "./options.js";
import { objectPolicyRule } from "./object-policy.js";
import { createPlanCache } from "./plan-cache.js";
import { postRulesIn } from "./rules.js";
import { withPolicyBatch } from "./compat/policy-batch.js";
import { checkSelections } from "./compat/selection-set.js";
import type { Authz, AuthzOptions, Executor, PostRule } from "./types.js";
import { resolveSubscriptionGuard, subscribeWithGuard } from "./subscription-guard.js";
import { wrapSchema, type GatedSchema } from "./wrapped-schema.js";

/**
 * Builds execution-time authorization for a schema: every field of every
 * operation is checked, and a field no rule covers is denied.
 * @throws TypeError on misconfiguration (unknown rule name, bad option value).
 * @throws UncoveredSchemaError (`UNCOVERED_FIELDS`) with `requireFullCoverage` when some field has no rule.
 * @throws PolicyValidationError (`INVALID_POLICY`) when `policies` are invalid.
 * @example
 * const authz = createAuthz({
 *   schema,
 *   rules: { IsAuthenticated: isAuthenticated, Anyone: allow },
 *   authSchema: { Query: { me: { __authz: { rules: ["IsAuthenticated"] } } }, "*": { "*": { __authz: { rules: ["Anyone"] } } } },
 * });
 * const result = await authz.execute({ schema: authz.schema, document, contextValue: { security } });
 */
export function createAuthz(options: AuthzOptions): Authz {
  const opts = resolveOptions(options);
  const { schema, engine } = opts;
  const rulesFor = createFieldRules({
    schema,
    rules: opts.rules,
    authSchema: opts.authSchema,
    policyCovers: engine ? (resource) => engine.policies.some((p) => p.resources.some((pattern) => resourceMatches(pattern, resource))) : null,
    objectPolicy: engine ? (type, fieldName) => objectPolicyRule(engine, type, fieldName) : null,
    policyResolver: opts.policyResolver,
  });
  const introspectionRules: FieldRules = Object.freeze({
    coordinate: `${schema.getQueryType()?.name ?? "Query"}.__schema`,
    pre: [{ rule: opts.introspection, name: opts.introspectionName }],
    post: [],
    source: [],
    uncovered: false,
  });
  checkPostSelections(schema, rulesFor);
  if (opts.requireFullCoverage) {
    const missing = uncovered(schema, rulesFor);
    if (missing.length > 0) throw new UncoveredSchemaError(missing);
  }

  const shared: SharedEvalState = { engine, byRoles: engine ? roleDeciderOf(engine) : null, now: opts.now, ttl: new Map() };
  let gated: GatedSchema | undefined;
  // Open: only `allow` rules, so no request is ever denied this field, before, during or after execution.
  const isOpen = (type: GraphQLObjectType, fieldName: string) => {
    const rules = rulesFor(type, fieldName);
    return !rules.uncovered && rules.post.length === 0 && rules.source.length === 0 && rules.pre.length > 0 && rules.pre.every((n) => n.rule.kind === "allow");
  };
  const rt: Runtime = {
    opts,
    plans: createPlanCache(opts.planCacheSize, schema, rulesFor, introspectionRules),
    shared,
    gated: () =>
      (gated ??= wrapSchema(schema, {
        isOpen,
        noGate: (info) => {
          throw noGateError(info);
        },
      })),
  };
  const execute = opts.policyResolver
    ? (args: ExecutionArgs, executor?: Executor) => withPolicyBatch(rt, args, () => authzExecute(rt, args, executor))
    : (args: ExecutionArgs, executor?: Executor) => authzExecute(rt, args, executor);
  const guard = resolveSubscriptionGuard(options.subscriptions);

  return Object.freeze({
    schema,
    execute,
    // The root field is checked by a dry run of its pre rules; each event then runs through execute.
    // With `subscriptions`, both are done again with a rebuilt context whenever access may have changed.
    subscribe: (args: ExecutionArgs) =>
      subscribeWithGuard(args, {
        guard,
        judge: (a) => rootCheck(rt, a),
        source: (a) => createSourceEventStream({ ...a, schema }) as Promise<AsyncIterable<unknown> | ExecutionResult>,
        run: (a, payload) => execute({ ...a, schema, rootValue: payload }),
      }),
    coverage: () => ({ uncovered: uncovered(schema, rulesFor), ...(opts.unknownTypes.length > 0 ? { unknownTypes: [...opts.unknownTypes] } : {}) }),
    matrix: (subjects: Parameters<Authz["matrix"]>[0]) => accessMatrix(schema, rulesFor, shared, subjects),
  });
}

function noGateError(info: GraphQLResolveInfo) {
  // The gated schema ran outside authz.execute: deny rather than resolve.
  return denialError({ message: "Not authorized.", code: "FORBIDDEN" }, [info.fieldName], info.fieldNodes);
}

/** Every post rule's selectionSet must name fields of the parent type: checked at construction. */
function checkPostSelections(schema: GraphQLSchema, rulesFor: (t: GraphQLObjectType, f: string) => FieldRules): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const fieldName of Object.keys(type.getFields())) {
      const posts: PostRule[] = rulesFor(type, fieldName).post.flatMap((r) => postRulesIn(r.rule));
      for (const rule of posts) {
        const problem = checkSelections(schema, type, rule.selections);
        if (problem) throw new TypeError(`createAuthz: post rule "${rule.name}" on ${type.name}.${fieldName} selects ${problem}.`);
      }
    }
  }
}
