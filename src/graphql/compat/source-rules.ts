/**
 * Rules judged inside a field's resolver, on the resolver's own
 * `(source, args, context, info)` (rules ported from graphql-shield). The
 * gated schema's wrapper asks before calling the resolver, so a denied
 * field never resolves, and a mutation denied this way never runs.
 * @module
 */
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { fromResult, isPromise, THREW, type Verdict } from "../evaluate.js";
import type { NamedRule } from "../field-rules.js";
import type { PlanField } from "../plan.js";
import type { AuthzRequest } from "../request.js";
import type { PromiseOrValue, SourceRule } from "../types.js";

/** The per-request judge of source rules. @internal */
export interface SourceJudge {
  /**
   * `undefined` when every source rule of `field` allows at once; the located
   * denial when one denies at once; a promise (rejecting with the denial) when a rule answers later.
   */
  check(field: PlanField, source: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo): GraphQLError | undefined | Promise<void>;
  /** Denials sent so far (for `onDenied: "reject"`). */
  readonly denials: GraphQLError[];
}

function verdictOf(result: unknown, rule: SourceRule): Verdict {
  // A string is a denial message, as graphql-shield rules may return one.
  if (typeof result === "string") return { ok: false, error: result, reason: "rule returned a message" };
  return fromResult(result, rule as never);
}

/** Builds the judge of one request; `pathOf` gives a resolver's response path. @internal */
export function sourceJudge(r: AuthzRequest, pathOf: (info: GraphQLResolveInfo) => Array<string | number>): SourceJudge {
  // Shared by every rule of the request: each rule keys it by its own cache scope.
  const cache = new Map<unknown, unknown>();
  const denials: GraphQLError[] = [];
  const context = r.args.contextValue;

  const auditAllows = r.audit !== null && r.rt.opts.auditAllows;
  /** The denial to raise, or `undefined` (allowed, or only audited). */
  const decided = (field: PlanField, named: NamedRule, verdict: Verdict, info: GraphQLResolveInfo): GraphQLError | undefined => {
    if (verdict.ok) {
      // The path is built only when something reads it: allowed rows usually cost no allocation.
      if (auditAllows) r.allow(field, pathOf(info), { verdict, rule: named.name });
      return undefined;
    }
    const error = r.denyVerdict(field, pathOf(info), named.name, verdict);
    if (error) denials.push(error);
    return error ?? undefined;
  };

  const run = (rule: SourceRule, source: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo): PromiseOrValue<Verdict> => {
    let result: PromiseOrValue<unknown>;
    try {
      result = rule.judge(source, args, context, info, cache);
    } catch {
      return THREW;
    }
    if (isPromise(result)) return result.then((x) => verdictOf(x, rule), () => THREW);
    return verdictOf(result, rule);
  };

  // Rules from the `i`-th on; no closure is made until a rule answers with a promise.
  const from = (field: PlanField, source: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo, i: number): GraphQLError | undefined | Promise<void> => {
    const rules = field.rules.source;
    for (; i < rules.length; i++) {
      const named = rules[i]!;
      const v = run(named.rule as SourceRule, source, args, info);
      if (isPromise(v)) {
        const next = i + 1;
        return v.then((verdict) => {
          const denial = decided(field, named, verdict, info);
          if (denial) throw denial;
          const rest = from(field, source, args, info, next);
          if (rest instanceof GraphQLError) throw rest;
          return rest;
        });
      }
      const denial = decided(field, named, v, info);
      if (denial) return denial;
    }
    return undefined;
  };
  return { check: (field, source, args, info) => from(field, source, args, info, 0), denials };
}
