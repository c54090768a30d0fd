/**
 * Evaluates rules for one request: per-request cache by (rule, args) for
 * pre rules and (rule, args, parent object) for post rules, plus the
 * optional cross-request TTL cache keyed by identity. Anything that throws
 * denies (fail closed) and the thrown message is never sent.
 * @module
 */
import type { SecurityContext } from "../core/index.js";
import type { Decision, PolicyEngine } from "../policy/index.js";
import type { RoleDecider } from "../policy/engine.js";
import { Lru } from "../core/lru.js";
import type { PostRule, PreRule, PromiseOrValue, Rule, RuleInfo } from "./types.js";

/** The outcome of one rule. @internal */
export type Verdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly error?: string | Error; readonly threw?: boolean; readonly reason: string; readonly policyId?: string };

export const ALLOW: Verdict = Object.freeze({ ok: true });
export const THREW: Verdict = Object.freeze({ ok: false, threw: true, reason: "rule threw" });
const NO_POLICIES: Verdict = Object.freeze({ ok: false, reason: "no policies configured" });

/** A policy decision as a verdict: allowed, or denied with the engine's reason and policy id. @internal */
export function verdictOf(decision: Decision): Verdict {
  return decision.allowed ? ALLOW : { ok: false, reason: decision.reason, policyId: decision.policyId };
}

/** Where a post rule is being applied. @internal */
export interface PostTarget {
  readonly value: unknown;
  /** The parent as the rule sees it (injected fields under their real names). */
  readonly parent: unknown;
  /** The raw response object: cache identity for "one row never decides another". */
  readonly parentKey: object;
  /**
   * The plan field (response position) judged: a rule on several fields of
   * one object gets each field's own value and info, so one field's verdict
   * never decides another's.
   */
  readonly field: number;
}

/** State shared by all requests of one authz instance. @internal */
export interface SharedEvalState {
  readonly engine: PolicyEngine | null;
  /** The engine's role-only shortcut, when it has one. */
  readonly byRoles: RoleDecider | null;
  readonly now: () => number;
  readonly ttl: Map<Rule, Lru<string, { verdict: Verdict; expires: number }>>;
}

/** Per-request evaluator. @internal */
export interface RequestEval {
  run(rule: Rule, args: Record<string, unknown>, argsKey: string, info: RuleInfo, target?: PostTarget): PromiseOrValue<Verdict>;
  /** The policies' verdict on `resource` (`Type::field`) for this request. */
  policy(resource: string, args: Record<string, unknown>): Verdict;
  /** The verdict when `roles` alone decide `resource` (no applicable policy has a condition), else `undefined`. */
  policyByRoles(resource: string, roles: readonly string[]): Verdict | undefined;
  /** The caller's roles, as the policies see them. */
  readonly roles: readonly string[];
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
  // Promise.resolve: a thenable's own `then` may return nothing to wait on.
  if (isPromise(result as PromiseOrValue<unknown>)) {
    return Promise.resolve(result).then(
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
  return new RequestEvaluator(shared, context, security, action);
}

/** Per-request rule evaluation; its caches are made on first use (most requests need few). */
class RequestEvaluator implements RequestEval {
  private preCache: Map<Rule, Map<string, PromiseOrValue<Verdict>>> | undefined;
  /** Per rule, per arguments, per plan field (each field of one object has its own value), per row. */
  private postCache: Map<Rule, Map<string, Array<WeakMap<object, PromiseOrValue<Verdict>> | undefined>>> | undefined;
  /** Cross-request cache key of the caller; computed only for TTL-cached rules. */
  private who: string | undefined;

  constructor(
    private readonly shared: SharedEvalState,
    private readonly context: unknown,
    private readonly security: SecurityContext,
    private readonly action: string,
  ) {}

  private runPre(rule: PreRule, args: Record<string, unknown>, argsKey: string, info: RuleInfo): PromiseOrValue<Verdict> {
    const context = this.context;
    if (rule.cache === false) return call(() => rule.fn(context, args, info), rule);
    this.preCache ??= new Map();
    let perRule = this.preCache.get(rule);
    if (!perRule) this.preCache.set(rule, (perRule = new Map()));
    const key = rule.perField ? `${info.coordinate}\u0000${argsKey}` : argsKey;
    const hit = perRule.get(key);
    if (hit) return hit;
    let verdict: PromiseOrValue<Verdict>;
    if (typeof rule.cache === "object") {
      const { shared } = this;
      const ttlMs = rule.cache.ttlMs;
      let lru = shared.ttl.get(rule);
      if (!lru) shared.ttl.set(rule, (lru = new Lru(1000)));
      this.who ??= identityKey(this.security);
      const across = `${this.who}\u0000${key}`;
      const entry = lru.get(across);
      if (entry && entry.expires > shared.now()) {
        verdict = entry.verdict;
      } else {
        verdict = chain(call(() => rule.fn(context, args, info), rule), (v) => {
          // A thrown rule is not remembered across requests: it may be transient.
          if (!(!v.ok && v.threw)) lru.set(across, { verdict: v, expires: shared.now() + ttlMs });
          return v;
        });
      }
    } else {
      verdict = call(() => rule.fn(context, args, info), rule);
    }
    perRule.set(key, verdict);
    return verdict;
  }

  private runPost(rule: PostRule, args: Record<string, unknown>, argsKey: string, info: RuleInfo, target: PostTarget): PromiseOrValue<Verdict> {
    this.postCache ??= new Map();
    let perRule = this.postCache.get(rule);
    if (!perRule) this.postCache.set(rule, (perRule = new Map()));
    let perArgs = perRule.get(argsKey);
    if (!perArgs) perRule.set(argsKey, (perArgs = []));
    let perRow = perArgs[target.field];
    if (!perRow) perRow = perArgs[target.field] = new WeakMap();
    const hit = perRow.get(target.parentKey);
    if (hit) return hit;
    const context = this.context;
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
    perRow.set(target.parentKey, verdict);
    return verdict;
  }

  get roles(): readonly string[] {
    return this.security.identity?.roles ?? [];
  }

  policyByRoles(resource: string, roles: readonly string[]): Verdict | undefined {
    const decision = this.shared.byRoles?.(resource, this.action, roles);
    return decision === undefined ? undefined : verdictOf(decision);
  }

  policy(resource: string, args: Record<string, unknown>): Verdict {
    const { engine, byRoles } = this.shared;
    if (!engine) return NO_POLICIES;
    const identity = this.security.identity;
    const roles = this.roles;
    // Most fields are decided by roles alone: no context is built for them.
    let decision = byRoles?.(resource, this.action, roles);
    if (decision === undefined) {
      try {
        decision = engine.evaluate({ resource, action: this.action, roles, context: { user: identity, identity, args, request: (this.context as { request?: unknown } | null)?.request } });
      } catch {
        // A context that throws when read (a getter) denies, as a rule that throws does.
        return THREW;
      }
    }
    return verdictOf(decision);
  }

  run(rule: Rule, args: Record<string, unknown>, argsKey: string, info: RuleInfo, target?: PostTarget): PromiseOrValue<Verdict> {
    switch (rule.kind) {
      case "allow":
        return ALLOW;
      case "deny":
        return { ok: false, reason: "deny rule" };
      case "pre":
        return this.runPre(rule, args, argsKey, info);
      case "post":
        // A post rule without a result to judge (e.g. matrix) cannot allow.
        return target ? this.runPost(rule, args, argsKey, info, target) : { ok: false, reason: "post rule needs the result" };
      case "policy":
        return this.policy(resourceOf(info.parentTypeName, info.fieldName), args);
      case "source":
        // Judged inside the resolver (gated execution); never allows from here.
        return { ok: false, reason: "source rule outside its resolver" };
      case "not":
        return chain(this.run(rule.rules[0]!, args, argsKey, info, target), (v) =>
          v.ok ? { ok: false, error: rule.error, reason: "not: inner rule allowed" } : v.threw ? v : ALLOW,
        );
      case "and":
        return sequence(rule.rules, (r) => this.run(r, args, argsKey, info, target), (v) => !v.ok, ALLOW);
      case "or":
        return chain(
          sequence(rule.rules, (r) => this.run(r, args, argsKey, info, target), (v) => v.ok, null as Verdict | null),
          (v) => v ?? { ok: false, error: rule.error, reason: "or: no rule allowed" },
        );
    }
  }
}

/** Policy resource names by type and field: one string per field, so the engine's lookups hit without building a key. @internal */
const resources = new Map<string, Map<string, string>>();

export function resourceOf(type: string, field: string): string {
  let byField = resources.get(type);
  if (!byField) resources.set(type, (byField = new Map()));
  let resource = byField.get(field);
  if (resource === undefined) byField.set(field, (resource = `${type}::${field}`));
  return resource;
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
