/**
 * Rule factories with GraphQL AuthZ's positional shape, so its rules port
 * by renaming the import.
 * @module
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- user rule bodies choose their own context/args types */
import { mayReadArgument } from "./arity.js";
import { compose, flatten, toRule, type RuleInput } from "./compat/rule-like.js";
import { parseSelectionSet } from "./compat/selection-set.js";
import { isRule, markRule } from "./rule-mark.js";
import type {
  BatchPostExecRuleFn,
  ConstRule,
  PolicyRule,
  PostRule,
  PreRule,
  PromiseOrValue,
  Rule,
  RuleCache,
  RuleInfo,
  RuleResult,
} from "./types.js";

/** Options of {@link preExecRule}. */
export interface PreExecRuleOptions {
  /** Message (or error) sent when the rule returns `false`. @default "Not authorized." / "Authentication required." */
  error?: string | Error;
  /**
   * `"request"`: one evaluation per (rule, args) per request. `{ ttlMs }`:
   * also cached across requests, per identity. `false`: evaluate every time it is needed.
   * @default "request"
   */
  cache?: RuleCache;
  /** Name in audit events when the rule is not registered under a key of `rules`. @default "preExecRule" */
  name?: string;
  /** Message (or error) sent when the rule allows inside `not(...)`. @default the `not`'s generic denial */
  notError?: string | Error;
}

/** Options of {@link postExecRule}. */
export interface PostExecRuleOptions {
  /** Extra fields of the PARENT type fetched for the rule, e.g. `"{ status author { id } }"`. @default none */
  selectionSet?: string;
  /** Message (or error) sent when the rule returns `false`. @default "Not authorized." */
  error?: string | Error;
  /** Name in audit events. @default "postExecRule" */
  name?: string;
  /** Message (or error) sent when the rule allows inside `not(...)`. @default the `not`'s generic denial */
  notError?: string | Error;
  /**
   * Judge every row of a field in one call: the rule receives arrays of
   * values and parents and returns one result per row, so a rule that asks a
   * database or a policy service makes one call per field per operation.
   * Cannot be nested in `and`/`or`/`not`.
   * @default false
   */
  batch?: boolean;
}

const mark = markRule;

export { isRule };

function checkError(error: unknown, where: string): void {
  if (error !== undefined && typeof error !== "string" && !(error instanceof Error)) {
    throw new TypeError(`${where}: \`error\` must be a string or an Error.`);
  }
}

/**
 * A rule evaluated before execution from the context and the field's arguments.
 * @example
 * const IsEditor = preExecRule()((ctx) => ctx.security.identity?.roles?.includes("editor") ?? false);
 */
export function preExecRule(options: PreExecRuleOptions = {}) {
  checkError(options.error, "preExecRule");
  checkError(options.notError, "preExecRule");
  const cache = options.cache ?? "request";
  if (!(cache === false || cache === "request" || (typeof cache === "object" && cache !== null && Number.isFinite(cache.ttlMs) && cache.ttlMs > 0))) {
    throw new TypeError('preExecRule: `cache` must be false, "request" or { ttlMs: <positive number> }.');
  }
  return <TContext = any, TArgs = any>(
    fn: (context: TContext, fieldArgs: TArgs, info: RuleInfo) => PromiseOrValue<RuleResult>,
  ): Rule => {
    if (typeof fn !== "function") throw new TypeError("preExecRule()(fn): `fn` must be a function.");
    const rule: PreRule = {
      kind: "pre",
      fn: fn as PreRule["fn"],
      cache,
      name: options.name ?? "preExecRule",
      error: options.error,
      notError: options.notError,
      // A function that can see `info` (however it declares it) may decide per field: its verdict is not shared between fields.
      perField: mayReadArgument(fn, 2),
    };
    return mark(rule);
  };
}

/**
 * A rule evaluated on the execution result: `value` is the field's value and
 * `parent` the parent object with the `selectionSet` fields filled in.
 * With `batch: true`, the rule judges every row of the field at once:
 * `(context, args, values, parents, info) => results[]`.
 * @example
 * const CanReadPost = postExecRule({ selectionSet: "{ status }" })((ctx, args, value, post) => post.status === "public");
 * const CanSeeEmail = postExecRule({ selectionSet: "{ id }", batch: true })(
 *   async (ctx, args, emails, users) => (await db.visibleTo(ctx.userId, users.map((u) => u.id))),
 * );
 */
export function postExecRule(options: PostExecRuleOptions & { batch: true }): <TContext = any>(fn: BatchPostExecRuleFn<TContext>) => Rule;
export function postExecRule(
  options?: PostExecRuleOptions,
): <TContext = any, TArgs = any, TValue = any, TParent = any>(
  fn: (context: TContext, fieldArgs: TArgs, value: TValue, parent: TParent, info: RuleInfo) => PromiseOrValue<RuleResult>,
) => Rule;
export function postExecRule(options: PostExecRuleOptions = {}) {
  checkError(options.error, "postExecRule");
  checkError(options.notError, "postExecRule");
  if (options.selectionSet !== undefined && typeof options.selectionSet !== "string") {
    throw new TypeError("postExecRule: `selectionSet` must be a string.");
  }
  if (options.batch !== undefined && typeof options.batch !== "boolean") throw new TypeError("postExecRule: `batch` must be true or false.");
  const selections = options.selectionSet ? parseSelectionSet(options.selectionSet) : [];
  return (fn: (...args: any[]) => unknown): Rule => {
    if (typeof fn !== "function") throw new TypeError("postExecRule()(fn): `fn` must be a function.");
    const rule: PostRule = {
      kind: "post",
      fn: fn as PostRule["fn"],
      selections,
      batch: options.batch === true,
      name: options.name ?? "postExecRule",
      error: options.error,
      notError: options.notError,
    };
    return mark(rule);
  };
}

function members(kind: string, inputs: readonly unknown[]): Rule[] {
  const list = flatten(inputs);
  if (list.length === 0) throw new TypeError(`${kind}(...): every argument must be a rule (preExecRule, postExecRule, allow, ...).`);
  return list.map((r) => toRule(r, `${kind}(...)`));
}

/**
 * Allows when every rule allows (evaluated in order, first denial wins).
 * Takes gatehouse rules, GraphQL AuthZ-style rule classes or instances,
 * spread or as one array (`and(A, B)` or `and([A, B])`).
 */
export function and(...rules: Array<RuleInput | readonly RuleInput[]>): Rule {
  return compose("and", members("and", rules));
}

/** Allows when any rule allows. A rule that throws counts as "no" here. */
export function or(...rules: Array<RuleInput | readonly RuleInput[]>): Rule {
  return compose("or", members("or", rules));
}

/**
 * Allows when `rule` denies. A rule that throws still denies (fail closed).
 * With several rules (`not(A, B)` or `not([A, B])`), allows only when every
 * one denies. A last argument that is a string or an Error is the denial message.
 */
export function not(rule: RuleInput | readonly RuleInput[], ...rest: Array<RuleInput | string | Error>): Rule {
  const last = rest[rest.length - 1];
  const error = typeof last === "string" || last instanceof Error ? last : undefined;
  const inputs = error === undefined ? [rule, ...rest] : [rule, ...rest.slice(0, -1)];
  return compose("not", members("not", inputs), "not", error);
}

/** Always allows. A rule value: `rules: { Anyone: allow }`. */
export const allow: Rule = mark<ConstRule>({ kind: "allow", name: "allow" });

/** Always denies. */
export const deny: Rule = mark<ConstRule>({ kind: "deny", name: "deny" });

/** Allows callers with an identity. */
export const isAuthenticated: Rule = preExecRule({ name: "isAuthenticated" })((_ctx, _args, info) => info.security.isAuthenticated);

/** Allows callers holding permission `name` (wildcards as in `getPermission`) or full access. */
export function hasPermission(name: string): Rule {
  if (typeof name !== "string" || name === "") throw new TypeError("hasPermission(name): `name` must be a non-empty string.");
  return preExecRule({ name: `hasPermission(${name})` })(
    (_ctx, _args, info) => info.security.getPermission(name) !== null || info.security.hasFullAccess(),
  );
}

/** Allows authenticated callers whose identity has one of `roles`. */
export function hasRole(...roles: string[]): Rule {
  if (roles.length === 0 || roles.some((r) => typeof r !== "string" || r === "")) {
    throw new TypeError("hasRole(...roles): give at least one non-empty role name.");
  }
  return preExecRule({ name: `hasRole(${roles.join(",")})` })((_ctx, _args, info) => {
    const held = info.security.identity?.roles ?? [];
    return roles.some((r) => held.includes(r));
  });
}

/** `@requireAuth(roles)`: authenticated and, when roles are given, holding one of them. @internal */
export function requireAuth(roles: readonly string[] | undefined): Rule {
  return preExecRule({ name: "requireAuth" })((_ctx, _args, info) => {
    if (!info.security.isAuthenticated) return false;
    if (!roles || roles.length === 0) return true;
    const held = info.security.identity?.roles ?? [];
    return roles.some((r) => held.includes(r));
  });
}

const POLICY: Rule = mark<PolicyRule>({ kind: "policy", name: "policy" });

/** Asks the PBAC engine given as `createAuthz({ policies })` (resource `Type::field`, action = operation type). */
export function policy(): Rule {
  return POLICY;
}

/** True when the rule (or a rule inside it) needs the execution result. @internal */
export function needsResult(rule: Rule): boolean {
  if (rule.kind === "post") return true;
  if (rule.kind === "and" || rule.kind === "or" || rule.kind === "not") return rule.rules.some(needsResult);
  return false;
}

/** Every post rule inside `rule`. @internal */
export function postRulesIn(rule: Rule, out: PostRule[] = []): PostRule[] {
  if (rule.kind === "post") out.push(rule);
  else if (rule.kind === "and" || rule.kind === "or" || rule.kind === "not") rule.rules.forEach((r) => postRulesIn(r, out));
  return out;
}

/** True when the rule uses the policy engine. @internal */
export function usesPolicy(rule: Rule): boolean {
  if (rule.kind === "policy") return true;
  if (rule.kind === "and" || rule.kind === "or" || rule.kind === "not") return rule.rules.some(usesPolicy);
  return false;
}
