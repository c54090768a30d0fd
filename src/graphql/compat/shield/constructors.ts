/**
 * Rule constructors with graphql-shield's call shapes (`rule()(fn)`,
 * `and`, `or`, `not`, `chain`, `race`, `allow`, `deny`), so a shield rule
 * file ports by renaming its import to `gatehouse/graphql/shield`. The rules
 * are plain descriptions; {@link fromShield} turns a rule tree into
 * gatehouse rules judged inside each field's resolver.
 * @module
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- rule bodies keep graphql-shield's loose positional types */
import type { GraphQLResolveInfo } from "graphql";

/**
 * Per-request caching of a rule's result: `"contextual"` once per request,
 * `"strict"` once per (source object, args), `"no_cache"` every time.
 * `true` means `"strict"`, `false` means `"no_cache"`.
 */
export type ShieldCache = "contextual" | "strict" | "no_cache" | boolean;

/** What a rule body returns: `true` allows; `false`, an `Error` or a message denies. */
export type ShieldResult = boolean | string | Error;

/** A rule body: the resolver's own `(parent, args, context, info)`. */
export type ShieldRuleFn<TParent = any, TArgs = any, TContext = any> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => ShieldResult | Promise<ShieldResult>;

/** Options of {@link rule}. */
export interface ShieldRuleOptions {
  /** @default "contextual" */
  cache?: ShieldCache;
}

/** A shield-shaped rule; build it with the constructors of this module. */
export type ShieldRule =
  | { readonly kind: "rule"; readonly name: string | undefined; readonly cache: "contextual" | "strict" | "no_cache"; readonly fn: ShieldRuleFn }
  | { readonly kind: "and" | "or" | "chain" | "race"; readonly rules: readonly ShieldRule[] }
  | { readonly kind: "not"; readonly rule: ShieldRule; readonly error: string | Error | undefined }
  | { readonly kind: "allow" | "deny" };

const SHIELD = new WeakSet<object>();

function make<T extends ShieldRule>(rule: T): T {
  SHIELD.add(rule);
  return Object.freeze(rule);
}

/** True for values built by this module's constructors. */
export function isShieldRule(value: unknown): value is ShieldRule {
  return typeof value === "object" && value !== null && SHIELD.has(value);
}

function cacheOf(cache: ShieldCache | undefined): "contextual" | "strict" | "no_cache" {
  if (cache === undefined) return "contextual";
  if (cache === true) return "strict";
  if (cache === false) return "no_cache";
  if (cache === "contextual" || cache === "strict" || cache === "no_cache") return cache;
  throw new TypeError('rule(): `cache` must be "contextual", "strict", "no_cache" or a boolean.');
}

/**
 * A rule: `rule()(fn)`, `rule({ cache: "strict" })(fn)` or `rule("name", { cache })(fn)`.
 * @example
 * const isOwner = rule({ cache: "strict" })((post, _args, ctx) => post.authorId === ctx.user?.id);
 */
export function rule(nameOrOptions?: string | ShieldRuleOptions, maybeOptions?: ShieldRuleOptions) {
  const name = typeof nameOrOptions === "string" ? nameOrOptions : undefined;
  const options = (typeof nameOrOptions === "object" && nameOrOptions !== null ? nameOrOptions : maybeOptions) ?? {};
  if (typeof options !== "object" || options === null) throw new TypeError("rule(): options must be an object.");
  const cache = cacheOf(options.cache);
  return <TParent = any, TArgs = any, TContext = any>(fn: ShieldRuleFn<TParent, TArgs, TContext>): ShieldRule => {
    if (typeof fn !== "function") throw new TypeError("rule()(fn): `fn` must be a function.");
    return make({ kind: "rule", name, cache, fn: fn as ShieldRuleFn });
  };
}

function logic(kind: "and" | "or" | "chain" | "race", rules: ShieldRule[]): ShieldRule {
  if (rules.length === 0 || !rules.every(isShieldRule)) throw new TypeError(`${kind}(...): every argument must be a rule from gatehouse/graphql/shield.`);
  return make({ kind, rules });
}

/** Allows when every rule allows (all are evaluated). */
export const and = (...rules: ShieldRule[]): ShieldRule => logic("and", rules);
/** Allows when any rule allows (all are evaluated). */
export const or = (...rules: ShieldRule[]): ShieldRule => logic("or", rules);
/** Like `and`, one rule after another, stopping at the first denial. */
export const chain = (...rules: ShieldRule[]): ShieldRule => logic("chain", rules);
/** Like `or`, one rule after another, stopping at the first success. */
export const race = (...rules: ShieldRule[]): ShieldRule => logic("race", rules);

/** Allows when `rule` denies; `error` is sent when it allows. A rule that throws still denies. */
export function not(inner: ShieldRule, error?: string | Error): ShieldRule {
  if (!isShieldRule(inner)) throw new TypeError("not(rule): `rule` must be a rule from gatehouse/graphql/shield.");
  if (error !== undefined && typeof error !== "string" && !(error instanceof Error)) throw new TypeError("not(rule, error): `error` must be a string or an Error.");
  return make({ kind: "not", rule: inner, error });
}

/** Always allows. */
export const allow: ShieldRule = make({ kind: "allow" });
/** Always denies. */
export const deny: ShieldRule = make({ kind: "deny" });
