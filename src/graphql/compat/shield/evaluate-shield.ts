/**
 * Evaluates a shield-shaped rule tree on a resolver's arguments, with
 * graphql-shield's combinator semantics and per-request caching. A rule
 * that throws denies, inside `not` too (graphql-shield lets `not` allow
 * then; gatehouse fails closed).
 * @module
 */
import type { GraphQLResolveInfo } from "graphql";
import type { ShieldRule } from "./constructors.js";

/** The outcome of a node: allowed, denied (with an optional message or error), or broken. */
export type Outcome = true | { readonly denied: string | Error | undefined } | { readonly threw: true };

const DENIED: Outcome = Object.freeze({ denied: undefined });
const THREW: Outcome = Object.freeze({ threw: true as const });

interface Call {
  readonly parent: unknown;
  readonly args: Record<string, unknown>;
  readonly context: unknown;
  readonly info: GraphQLResolveInfo;
  readonly cache: Map<unknown, unknown>;
}

function outcomeOf(result: unknown): Outcome {
  if (result === true) return true;
  if (typeof result === "string" || result instanceof Error) return { denied: result };
  return DENIED;
}

function argsKey(args: Record<string, unknown>): string {
  try {
    return JSON.stringify(args);
  } catch {
    return "\u0000uncacheable";
  }
}

type Maybe<T> = T | Promise<T>;
const isPromise = <T>(v: Maybe<T>): v is Promise<T> => typeof (v as Promise<T> | null)?.then === "function";
const then = <T, U>(v: Maybe<T>, f: (x: T) => Maybe<U>): Maybe<U> => (isPromise(v) ? v.then(f) : f(v));

/** The outcome of what a rule body returned; a rejected promise is a throw. @internal */
export function outcomeOfResult(result: unknown): Maybe<Outcome> {
  if (isPromise(result as Maybe<unknown>)) return (result as Promise<unknown>).then(outcomeOf, () => THREW);
  return outcomeOf(result);
}

// Synchronous unless a rule body returns a promise: most field checks then cost no microtask.
function invoke(node: Extract<ShieldRule, { kind: "rule" }>, call: Call): Maybe<Outcome> {
  let result: unknown;
  try {
    result = node.fn(call.parent, call.args, call.context, call.info);
  } catch {
    return THREW;
  }
  return outcomeOfResult(result);
}

function leaf(node: Extract<ShieldRule, { kind: "rule" }>, call: Call): Maybe<Outcome> {
  if (node.cache === "no_cache") return invoke(node, call);
  // Keys live in the request's cache map: one entry per rule, then per source object and args for "strict".
  let perRule = call.cache.get(node) as Map<unknown, unknown> | undefined;
  if (!perRule) call.cache.set(node, (perRule = new Map()));
  let slot: Map<unknown, unknown> = perRule;
  let key: unknown = "";
  if (node.cache === "strict") {
    const parentKey = typeof call.parent === "object" && call.parent !== null ? call.parent : String(call.parent);
    let byArgs = perRule.get(parentKey) as Map<unknown, unknown> | undefined;
    if (!byArgs) perRule.set(parentKey, (byArgs = new Map()));
    slot = byArgs;
    key = argsKey(call.args);
  }
  if (slot.has(key)) return slot.get(key) as Maybe<Outcome>;
  const outcome = invoke(node, call);
  slot.set(key, outcome);
  return outcome;
}

const firstFailure = (outcomes: readonly Outcome[]): Outcome => outcomes.find((o) => o !== true) ?? true;
/** When nothing allowed: the first custom error, as graphql-shield reports it; a throw stays a throw. */
const noSuccess = (outcomes: readonly Outcome[]): Outcome =>
  outcomes.find((o) => o !== true && "denied" in o && o.denied !== undefined) ?? outcomes.find((o) => o !== true && "threw" in o) ?? DENIED;

/** Evaluates every rule (graphql-shield's `and` / `or` do), waiting only when some result is a promise. */
function every(rules: readonly ShieldRule[], call: Call): Maybe<Outcome[]> {
  const outcomes = rules.map((r) => evaluateShield(r, call));
  return outcomes.some(isPromise) ? Promise.all(outcomes) : (outcomes as Outcome[]);
}

/** One rule after another until `stop` says so; `done(seen)` when none did. */
function sequence(rules: readonly ShieldRule[], call: Call, stop: (o: Outcome) => boolean, done: (seen: Outcome[]) => Outcome, i = 0, seen: Outcome[] = []): Maybe<Outcome> {
  for (; i < rules.length; i++) {
    const o = evaluateShield(rules[i]!, call);
    if (isPromise(o)) {
      const next = i + 1;
      return o.then((r) => (stop(r) ? r : sequence(rules, call, stop, done, next, [...seen, r])));
    }
    if (stop(o)) return o;
    seen.push(o);
  }
  return done(seen);
}

/** Evaluates `node` for one resolver call. @internal */
export function evaluateShield(node: ShieldRule, call: Call): Maybe<Outcome> {
  switch (node.kind) {
    case "allow":
      return true;
    case "deny":
      return DENIED;
    case "rule":
      return leaf(node, call);
    case "and":
      return then(every(node.rules, call), firstFailure);
    case "or":
      return then(every(node.rules, call), (outcomes) => (outcomes.some((o) => o === true) ? true : noSuccess(outcomes)));
    case "chain":
      return sequence(node.rules, call, (o) => o !== true, () => true);
    case "race":
      return sequence(node.rules, call, (o) => o === true, noSuccess);
    case "not":
      return then(evaluateShield(node.rule, call), (o): Outcome => (o === true ? { denied: node.error } : "threw" in o ? o : true));
  }
}
