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
   * The check of the rows of `field`, made once per field and request:
   * `undefined` when every source rule of the field allows at once; the
   * located denial when one denies at once; a promise (rejecting with the
   * denial) when a rule answers later.
   */
  checkOf(field: PlanField): (info: GraphQLResolveInfo, source: unknown, args: Record<string, unknown>) => Checked;
  /** Denials sent so far (for `onDenied: "reject"`). */
  readonly denials: GraphQLError[];
}

type Checked = GraphQLError | undefined | Promise<void>;

/** Marks a rule that threw, apart from anything a rule can return. */
const THROWN = Symbol("thrown");

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

  /** A rule's raw result as a verdict; a rule that threw is {@link THROWN}. */
  const verdictOfResult = (rule: SourceRule, result: unknown): PromiseOrValue<Verdict> => {
    if (result === THROWN) return THREW;
    if (isPromise(result)) return result.then((x) => verdictOf(x, rule), () => THREW);
    return verdictOf(result, rule);
  };
  const call = (rule: SourceRule, source: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo): unknown => {
    try {
      return rule.judge(source, args, context, info, cache);
    } catch {
      return THROWN;
    }
  };

  /** The `i`-th rule's verdict `v` decided, then the rules after it; no closure is made until a rule answers with a promise. */
  const settle = (field: PlanField, i: number, v: PromiseOrValue<Verdict>, source: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo): Checked => {
    const named = field.rules.source[i]!;
    if (isPromise(v)) {
      return v.then((verdict) => {
        const denial = decided(field, named, verdict, info);
        if (denial) throw denial;
        const rest = from(field, source, args, info, i + 1);
        if (rest instanceof GraphQLError) throw rest;
        return rest;
      });
    }
    const denial = decided(field, named, v, info);
    return denial ?? from(field, source, args, info, i + 1);
  };

  // Rules from the `i`-th on.
  const from = (field: PlanField, source: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo, i: number): Checked => {
    const rules = field.rules.source;
    if (i >= rules.length) return undefined;
    const rule = rules[i]!.rule as SourceRule;
    return settle(field, i, verdictOfResult(rule, call(rule, source, args, info)), source, args, info);
  };

  return {
    checkOf(field) {
      const rules = field.rules.source;
      if (rules.length !== 1 || auditAllows) return (info, source, args) => from(field, source, args, info, 0);
      // The usual field: one rule, called in place, and nothing more when it allows.
      const rule = rules[0]!.rule as SourceRule;
      return (info, source, args) => {
        const result = call(rule, source, args, info);
        return result === true ? undefined : settle(field, 0, verdictOfResult(rule, result), source, args, info);
      };
    },
    denials,
  };
}
