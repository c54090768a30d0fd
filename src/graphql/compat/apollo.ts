/**
 * Apollo Router's `@authenticated`, `@requiresScopes` and `@policy` as
 * gatehouse rules. Scopes come from the identity's `scope` claim (a
 * space-separated string, as in OAuth tokens) or its `scopes` array.
 * `@policy` names are decided by the `policyResolver` option, asked once
 * per operation with every name the operation touches.
 * @module
 */
import type { OperationDefinitionNode } from "graphql";
import type { Identity } from "../../core/index.js";
import type { ApolloDirectives } from "../directives.js";
import { markRule } from "../rule-mark.js";
import type { PreRule, PromiseOrValue, Rule, RuleInfo } from "../types.js";

type Resolver = (names: Set<string>, context: unknown) => PromiseOrValue<ReadonlyMap<string, boolean>>;

/** The scopes an identity holds: `scope` ("a b c") and/or `scopes` (["a", "b"]). @internal */
export function scopesOf(identity: Identity | null): Set<string> {
  const out = new Set<string>();
  if (!identity) return out;
  if (typeof identity.scope === "string") for (const s of identity.scope.split(/\s+/)) if (s) out.add(s);
  if (Array.isArray(identity.scopes)) for (const s of identity.scopes) if (typeof s === "string" && s) out.add(s);
  return out;
}

/** Outer list OR, inner list AND; an empty outer list allows nothing. */
const satisfied = (alternatives: readonly (readonly string[])[], holds: (name: string) => boolean): boolean =>
  alternatives.some((all) => all.every(holds));

const pre = (name: string, fn: PreRule["fn"]): Rule => markRule<PreRule>({ kind: "pre", fn, cache: "request", name });

const AUTHENTICATED = pre("@authenticated", (_ctx, _args, info) => info.security.isAuthenticated);

const scopeRules = new Map<string, Rule>();

function requiresScopes(scopes: string[][]): Rule {
  const key = JSON.stringify(scopes);
  let rule = scopeRules.get(key);
  if (!rule) {
    // Anonymous callers hold no scopes, so they never pass, even `[[]]`.
    rule = pre(`@requiresScopes(${key})`, (_ctx, _args, info) => {
      if (!info.security.isAuthenticated) return false;
      const held = scopesOf(info.security.identity);
      return satisfied(scopes, (s) => held.has(s));
    });
    scopeRules.set(key, rule);
  }
  return rule;
}

/** The policy names each `@policy` rule needs. */
const policyNames = new WeakMap<Rule, readonly string[]>();

/** Every `@policy` name `rule` needs (composites included). @internal */
export function policyNamesIn(rule: Rule, out: Set<string>): void {
  const own = policyNames.get(rule);
  if (own) for (const n of own) out.add(n);
  if (rule.kind === "and" || rule.kind === "or" || rule.kind === "not") for (const r of rule.rules) policyNamesIn(r, out);
}

interface Batch {
  readonly names: ReadonlySet<string>;
  answer?: Promise<ReadonlyMap<string, boolean> | null>;
}

/** Open batches: per context object, per operation node. */
const batches = new WeakMap<object, Map<OperationDefinitionNode, Batch>>();

function ask(resolver: Resolver, batch: Batch, context: unknown): Promise<ReadonlyMap<string, boolean> | null> {
  // One call per batch; a throw or a non-Map answer denies every name (fail closed).
  batch.answer ??= (async () => {
    try {
      const answer = await resolver(new Set(batch.names), context);
      return answer instanceof Map ? answer : null;
    } catch {
      return null;
    }
  })();
  return batch.answer;
}

/**
 * Opens the batch of one operation: `@policy` rules evaluated for this
 * context and operation share one resolver call with `names`. Returns the
 * function that closes it. @internal
 */
export function openPolicyBatch(context: unknown, operations: readonly OperationDefinitionNode[], names: ReadonlySet<string>): () => void {
  if (typeof context !== "object" || context === null || names.size === 0) return () => undefined;
  let open = batches.get(context);
  if (!open) batches.set(context, (open = new Map()));
  const batch: Batch = { names };
  const mine = operations.filter((op) => !open.has(op));
  for (const op of mine) open.set(op, batch);
  return () => {
    for (const op of mine) if (open.get(op) === batch) open.delete(op);
  };
}

const policyMemo = new WeakMap<object, Map<string, Rule>>();
const NO_RESOLVER = {};

function policyRule(policies: string[][], resolver: Resolver | null): Rule {
  const key = JSON.stringify(policies);
  let memo = policyMemo.get(resolver ?? NO_RESOLVER);
  if (!memo) policyMemo.set(resolver ?? NO_RESOLVER, (memo = new Map()));
  const hit = memo.get(key);
  if (hit) return hit;
  const needed = [...new Set(policies.flat())];
  const rule = pre(`@policy(${JSON.stringify(policies)})`, (context: unknown, _args: unknown, info: RuleInfo) => {
    if (!resolver) return false;
    const open = typeof context === "object" && context !== null ? batches.get(context)?.get(info.operation) : undefined;
    // Outside an operation batch (subscription root check, matrix): ask for this rule's names alone.
    const batch = open ?? { names: new Set(needed) };
    return ask(resolver, batch, context).then((answer) => answer !== null && satisfied(policies, (p) => answer.get(p) === true));
  });
  policyNames.set(rule, needed);
  memo.set(key, rule);
  return rule;
}

/** The rules an element's Apollo directives stand for. @internal */
export function apolloRules(d: ApolloDirectives, resolver: Resolver | null): Array<{ rule: Rule; name: string }> {
  const out: Array<{ rule: Rule; name: string }> = [];
  if (d.authenticated) out.push({ rule: AUTHENTICATED, name: AUTHENTICATED.name });
  for (const scopes of d.scopes) {
    const rule = requiresScopes(scopes);
    out.push({ rule, name: rule.name });
  }
  for (const policies of d.policies) {
    const rule = policyRule(policies, resolver);
    out.push({ rule, name: rule.name });
  }
  return out;
}
