/**
 * Evaluates rules for one request: per-request cache by (rule, args) for
 * pre rules and (rule, args, parent object) for post rules, plus the
 * optional cross-request TTL cache keyed by identity. Anything that throws
 * denies (fail closed) and the thrown message is never sent.
 * @module
 */
import type { SecurityContext } from "../core/index.js";
import type { PolicyEngine } from "../policy/index.js";
import { Lru } from "../core/lru.js";
import type { PostRule, PreRule, PromiseOrValue, Rule, RuleInfo } from "./types.js";

/** The outcome of one rule. @internal */
export type Verdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly error?: string | Error; readonly threw?: boolean; readonly reason: string; readonly policyId?: string };

export const ALLOW: Verdict = Object.freeze({ ok: true });
export const THREW: Verdict = Object.freeze({ ok: false, threw: true, reason: "rule threw" });

/** Where a post rule is being applied. @internal */
export interface PostTarget {
  readonly value: unknown;
  /** The parent as the rule sees it (injected fields under their real names). */
  readonly parent: unknown;
  /** The raw response object: cache identity for "one row never decides another". */
  readonly parentKey: object;
}

/** State shared by all requests of one authz instance. @internal */
export interface SharedEvalState {
  readonly engine: PolicyEngine | null;
  readonly now: () => number;
  readonly ttl: Map<Rule, Lru<string, { verdict: Verdict; expires: number }>>;
}

/** Per-request evaluator. @internal */
export interface RequestEval {
  run(rule: Rule, args: Record<string, unknown>, argsKey: string, info: RuleInfo, target?: PostTarget): PromiseOrValue<Verdict>;
}

export function isPromise<T>(value: PromiseOrValue<T>): value is Promise<T> {
  return typeof (value as Promise<T> | null)?.then === "function";
}

export function chain<T, U>(value: PromiseOrValue<T>, f: (v: T) => PromiseOrValue<U>): PromiseOrValue<U> {
  return isPromise(value) ? value.then(f) : f(value);
}

/** A rule's return value as a verdict: only `true` allows. @internal */
export function fromResult(result: unknown, rule: PreRule | PostRule): Verdict {
  if (result === true) return ALLOW;
  if (result === false) return { ok: false, error: rule.error, reason: "rule returned false" };
  if (result instanceof Error) return { ok: false, error: result, reason: "rule returned an error" };
  return { ok: false, error: rule.error, reason: "rule returned a non-boolean" };
}

function call(fn: () => unknown, rule: PreRule | PostRule): PromiseOrValue<Verdict> {
  let result: unknown;
  try {
    result = fn();
  } catch {
    return THREW;
  }
  if (isPromise(result as PromiseOrValue<unknown>)) {
    return (result as Promise<unknown>).then(
      (r) => fromResult(r, rule),
      () => THREW,
    );
  }
  return fromResult(result, rule);
}

/**
 * Cross-request cache key of a caller: the whole identity (type, id, and
 * claims such as an API key's `keyId`) plus the whole permission set. Two
 * keys of one owner with different scopes, or one user before and after a
 * role change, never share a cached verdict. Anonymous callers with the
 * same permissions share one key, never an identity's.
 */
export function identityKey(security: SecurityContext): string {
  return JSON.stringify([security.identity ?? "anonymous", security.getPermissions()]);
}

/** Builds the evaluator of one request. @internal */
export function createRequestEval(shared: SharedEvalState, context: unknown, security: SecurityContext, action: string): RequestEval {
  const preCache = new Map<Rule, Map<string, PromiseOrValue<Verdict>>>();
  const postCache = new Map<Rule, Map<string, WeakMap<object, PromiseOrValue<Verdict>>>>();
  // Computed on first use only: most requests never touch a TTL-cached rule.
  let who: string | undefined;

  const runPre = (rule: PreRule, args: Record<string, unknown>, argsKey: string, info: RuleInfo): PromiseOrValue<Verdict> => {
    if (rule.cache === false) return call(() => rule.fn(context, args, info), rule);
    let perRule = preCache.get(rule);
    if (!perRule) preCache.set(rule, (perRule = new Map()));
    const hit = perRule.get(argsKey);
    if (hit) return hit;
    let verdict: PromiseOrValue<Verdict>;
    if (typeof rule.cache === "object") {
      const ttlMs = rule.cache.ttlMs;
      let lru = shared.ttl.get(rule);
      if (!lru) shared.ttl.set(rule, (lru = new Lru(1000)));
      who ??= identityKey(security);
      const key = `${who}\u0000${argsKey}`;
      const entry = lru.get(key);
      if (entry && entry.expires > shared.now()) {
        verdict = entry.verdict;
      } else {
        verdict = chain(call(() => rule.fn(context, args, info), rule), (v) => {
          // A thrown rule is not remembered across requests: it may be transient.
          if (!(!v.ok && v.threw)) lru.set(key, { verdict: v, expires: shared.now() + ttlMs });
          return v;
        });
      }
    } else {
      verdict = call(() => rule.fn(context, args, info), rule);
    }
    perRule.set(argsKey, verdict);
    return verdict;
  };

  const runPost = (rule: PostRule, args: Record<string, unknown>, argsKey: string, info: RuleInfo, target: PostTarget): PromiseOrValue<Verdict> => {
    let perRule = postCache.get(rule);
    if (!perRule) postCache.set(rule, (perRule = new Map()));
    let perArgs = perRule.get(argsKey);
    if (!perArgs) perRule.set(argsKey, (perArgs = new WeakMap()));
    const hit = perArgs.get(target.parentKey);
    if (hit) return hit;
    const judge = rule.judge;
    let verdict: PromiseOrValue<Verdict>;
    if (judge) {
      try {
        verdict = judge(context, args, target.value, target.parent, info);
      } catch {
        verdict = THREW;
      }
    } else {
      verdict = call(() => rule.fn(context, args, target.value, target.parent, info), rule);
    }
    perArgs.set(target.parentKey, verdict);
    return verdict;
  };

  const runPolicy = (args: Record<string, unknown>, info: RuleInfo): Verdict => {
    if (!shared.engine) return { ok: false, reason: "no policies configured" };
    const decision = shared.engine.evaluate({
      resource: `${info.parentTypeName}::${info.fieldName}`,
      action,
      roles: security.identity?.roles ?? [],
      context: { user: security.identity, identity: security.identity, args, request: (context as { request?: unknown } | null)?.request },
    });
    return decision.allowed ? ALLOW : { ok: false, reason: decision.reason, policyId: decision.policyId };
  };

  const run: RequestEval["run"] = (rule, args, argsKey, info, target) => {
    switch (rule.kind) {
      case "allow":
        return ALLOW;
      case "deny":
        return { ok: false, reason: "deny rule" };
      case "pre":
        return runPre(rule, args, argsKey, info);
      case "post":
        // A post rule without a result to judge (e.g. matrix) cannot allow.
        return target ? runPost(rule, args, argsKey, info, target) : { ok: false, reason: "post rule needs the result" };
      case "policy":
        return runPolicy(args, info);
      case "source":
        // Judged inside the resolver (gated execution); never allows from here.
        return { ok: false, reason: "source rule outside its resolver" };
      case "not":
        return chain(run(rule.rules[0]!, args, argsKey, info, target), (v) =>
          v.ok ? { ok: false, error: rule.error, reason: "not: inner rule allowed" } : v.threw ? v : ALLOW,
        );
      case "and":
        return sequence(rule.rules, (r) => run(r, args, argsKey, info, target), (v) => !v.ok, ALLOW);
      case "or":
        return chain(
          sequence(rule.rules, (r) => run(r, args, argsKey, info, target), (v) => v.ok, null as Verdict | null),
          (v) => v ?? { ok: false, error: rule.error, reason: "or: no rule allowed" },
        );
    }
  };
  return { run };
}

/** Runs `rules` in order, returning the first verdict for which `stop` is true, else `fallback`. */
function sequence<F extends Verdict | null>(
  rules: readonly Rule[],
  run: (r: Rule) => PromiseOrValue<Verdict>,
  stop: (v: Verdict) => boolean,
  fallback: F,
  from = 0,
): PromiseOrValue<Verdict | F> {
  for (let i = from; i < rules.length; i++) {
    const v = run(rules[i]!);
    if (isPromise(v)) return v.then((r) => (stop(r) ? r : sequence(rules, run, stop, fallback, i + 1)));
    if (stop(v)) return v;
  }
  return fallback;
}
