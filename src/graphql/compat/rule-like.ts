/**
 * Turns what GraphQL AuthZ users register as rules (a class, an instance,
 * an array for composites) into gatehouse rules. One class becomes one rule
 * object, so per-request caching and audit names stay stable.
 * @module
 */
import { mayReadArgument } from "../arity.js";
import { isRule, markRule } from "../rule-mark.js";
import type { CompositeRule, PostRule, PreRule, Rule } from "../types.js";
import { AndRule, CompositeRuleBase, NotRule, OrRule, PostExecutionRule, PreExecutionRule, UnauthorizedError, type ClassRuleResult } from "./authz-classes.js";
import { parseSelectionSet } from "./selection-set.js";

/** What `rules`, `and`, `or` and `not` accept: a gatehouse rule, a rule class or an instance of one. */
export type RuleInput = Rule | PreExecutionRule | PostExecutionRule | AndRule | OrRule | NotRule | (abstract new (...args: never[]) => unknown);

const byClass = new WeakMap<object, Rule>();
const byInstance = new WeakMap<object, Rule>();

function isClassOf(value: unknown, base: abstract new (...a: never[]) => unknown): boolean {
  return typeof value === "function" && (value as { prototype?: unknown }).prototype instanceof base;
}

/** True when `value` names a rule class of this module. @internal */
function isRuleClass(value: unknown): value is new (config: { fieldArgs: Record<string, unknown> }) => object {
  return [PreExecutionRule, PostExecutionRule, AndRule, OrRule, NotRule].some((base) => isClassOf(value, base));
}

function asError(error: unknown): Error | undefined {
  if (error instanceof Error) return error;
  if (typeof error === "string") return new UnauthorizedError(error);
  return undefined;
}

/** A thrown value that means "this rule denies" rather than "this rule broke". */
function isDenial(thrown: unknown, rule: PreExecutionRule | PostExecutionRule): thrown is Error {
  return thrown instanceof UnauthorizedError || thrown === rule.error || thrown === rule.notError
    || (thrown instanceof Error && thrown.constructor?.name === "UnauthorizedError");
}

/**
 * Runs a class rule's `execute`: `false` denies with `rule.error`, a thrown
 * UnauthorizedError denies with its message, any other throw propagates
 * (gatehouse then denies with the generic message), anything else allows.
 */
function runClassRule(rule: PreExecutionRule | PostExecutionRule, run: () => ClassRuleResult): boolean | Error | Promise<boolean | Error> {
  const settle = (value: unknown): boolean | Error => (value === false ? (asError(rule.error) ?? new UnauthorizedError()) : true);
  const caught = (thrown: unknown): Error => {
    if (isDenial(thrown, rule)) return thrown;
    throw thrown;
  };
  let result: ClassRuleResult;
  try {
    result = run();
  } catch (thrown) {
    return caught(thrown);
  }
  if (result !== null && typeof (result as Promise<unknown> | undefined)?.then === "function") return (result as Promise<unknown>).then(settle, caught);
  return settle(result);
}

function fromInstance(instance: object, name: string): Rule | null {
  const cached = byInstance.get(instance);
  if (cached) return cached;
  let rule: Rule;
  if (instance instanceof PreExecutionRule) {
    const pre: PreRule = {
      kind: "pre",
      fn: (context, fieldArgs, info) => runClassRule(instance, () => instance.execute(context, fieldArgs, info)),
      cache: "request",
      name,
      error: asError(instance.error),
      notError: asError(instance.notError),
      // As for preExecRule: an `execute` that can see `info` may decide per field.
      perField: mayReadArgument(instance.execute, 2),
    };
    rule = markRule(pre);
  } else if (instance instanceof PostExecutionRule) {
    const post: PostRule = {
      kind: "post",
      fn: (context, fieldArgs, value, parent, info) => runClassRule(instance, () => instance.execute(context, fieldArgs, value, parent, info)),
      selections: instance.selectionSet ? parseSelectionSet(instance.selectionSet, `${name}.selectionSet`) : [],
      batch: false,
      name,
      error: asError(instance.error),
      notError: asError(instance.notError),
    };
    rule = markRule(post);
  } else if (instance instanceof CompositeRuleBase) {
    const members = flatten(instance.getRules()).map((r) => toRule(r, name));
    rule = compose(instance instanceof AndRule ? "and" : instance instanceof OrRule ? "or" : "not", members, name);
  } else {
    return null;
  }
  byInstance.set(instance, rule);
  return rule;
}

/** Flattens one level of arrays: GraphQL AuthZ's docs show both `and(A, B)` and `and([A, B])`. @internal */
export function flatten(inputs: readonly unknown[]): unknown[] {
  return inputs.flatMap((r) => (Array.isArray(r) ? r : [r]));
}

/**
 * A composite of rules. `not` of several rules allows only when every one
 * denies (GraphQL AuthZ's documented meaning), i.e. `not(or(...))`; `not`
 * of one rule denies with that rule's `notError` when it has one.
 * @internal
 */
export function compose(kind: CompositeRule["kind"], rules: Rule[], name: string = kind, error?: string | Error): Rule {
  if (rules.length === 0) throw new TypeError(`${name}: give at least one rule.`);
  if (rules.some((r) => r.kind === "post" && r.batch)) {
    throw new TypeError(`${name}: a batched post rule judges whole fields and cannot be combined; attach it to the field directly.`);
  }
  if (rules.some((r) => r.kind === "source")) {
    throw new TypeError(`${name}: rules converted by fromShield are composed with the shield constructors (gatehouse/graphql/shield).`);
  }
  if (error !== undefined && typeof error !== "string" && !(error instanceof Error)) throw new TypeError(`${name}: \`error\` must be a string or an Error.`);
  if (kind === "not" && rules.length > 1) {
    const inner = markRule<CompositeRule>({ kind: "or", rules, name: `or(${rules.map((r) => r.name).join(",")})` });
    return markRule<CompositeRule>({ kind: "not", rules: [inner], name, error });
  }
  const notError = kind === "not" ? rules[0]!.notError : undefined;
  return markRule<CompositeRule>({ kind, rules, name, error: error ?? notError });
}

/**
 * A gatehouse rule for `value`: a rule as is, a rule class (instantiated
 * once) or an instance. `null` when `value` is none of these.
 * @internal
 */
export function asRule(value: unknown, name?: string): Rule | null {
  if (isRule(value)) return value;
  if (isRuleClass(value)) {
    const cached = byClass.get(value);
    if (cached) return cached;
    const rule = fromInstance(new value({ fieldArgs: {} }), name ?? (value.name || "ClassRule"));
    if (rule) byClass.set(value, rule);
    return rule;
  }
  if (typeof value === "object" && value !== null) return fromInstance(value, name ?? (value.constructor?.name || "ClassRule"));
  return null;
}

/** {@link asRule}, throwing a TypeError that says what to pass. @internal */
export function toRule(value: unknown, where: string): Rule {
  const rule = asRule(value);
  if (rule) return rule;
  const foreign = typeof value === "function" && typeof (value as { prototype?: { execute?: unknown; getRules?: unknown } }).prototype?.execute === "function";
  throw new TypeError(
    foreign
      ? `${where}: this rule class does not extend gatehouse's PreExecutionRule / PostExecutionRule; import them from "gatehouse/graphql" instead of "@graphql-authz/core".`
      : `${where}: every rule must be a rule (preExecRule, postExecRule, allow, ...) or a class extending PreExecutionRule, PostExecutionRule, AndRule, OrRule or NotRule.`,
  );
}
