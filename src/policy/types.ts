/**
 * Public types of the policy engine (`gatehouse/policy`).
 * Policies are plain JSON data so that files, the store, the CLI and
 * `explain()` all share one shape.
 * @module
 */
import type { Filter } from "../filter/types.js";

/** Every operator a condition may use. */
export type PolicyOperator =
  | "match"
  | "notMatch"
  | "equals"
  | "notEquals"
  | "in"
  | "notIn"
  | "lessThan"
  | "greaterThan"
  | "exists";

/** Every operator, in documentation order (for tooling such as the CLI and editors). */
export const POLICY_OPERATORS: readonly PolicyOperator[] = Object.freeze([
  "match",
  "notMatch",
  "equals",
  "notEquals",
  "in",
  "notIn",
  "lessThan",
  "greaterThan",
  "exists",
]);

/** The effect of a policy once normalized. Files may spell it in any case (`"Allow"`). */
export type PolicyEffect = "allow" | "deny";

/**
 * One condition of a policy. Every condition of a policy must hold for the
 * policy to match.
 */
export interface PolicyCondition {
  /** Dot path into the context, e.g. `user.id`, `args.input.ownerId`, `request.ip`. */
  field: string;
  operator: PolicyOperator;
  /**
   * Expected value(s) written in the policy. A single value is treated as a
   * one-element list; the values are alternatives.
   */
  expected?: unknown[] | unknown;
  /**
   * Dot paths into the context whose values are further expected values.
   * They are compared literally: a context value `"*"` is not a glob.
   */
  expectedOnContext?: string[];
}

/** A policy as written in a policy file (wahn format). */
export interface Policy {
  /** Unique id; reported in decisions and audit events. */
  id: string;
  description?: string;
  /** `"allow"` or `"deny"`, case-insensitive (`"Allow"` from wahn files is fine). Normalized to lower case. */
  effect: PolicyEffect | "Allow" | "Deny" | (string & {});
  /** Actions, e.g. `query`, `mutation`, `subscription` or custom; `"*"` and `*` globs allowed. */
  actions: string[];
  /** Resources `"Type::field"`; `*` globs allowed in either part (`"User::*"`, `"*::password"`); `"*"` alone is every resource. */
  resources: string[];
  /** Roles the policy applies to; `"*"` means any request, even one without roles. */
  roles: string[];
  conditions?: PolicyCondition[];
  /**
   * wahn's label for the kind of denial (e.g. `"hidden"`). Accepted so wahn
   * files load unchanged and kept on the normalized policy for your own
   * use; the engine does not read it.
   */
  denyType?: string;
}

/** A policy after validation: effect lower-cased, `expected` always a list. Frozen. */
export interface NormalizedPolicy extends Policy {
  effect: PolicyEffect;
  conditions?: NormalizedCondition[];
}

/** A condition after validation. Frozen. */
export interface NormalizedCondition extends PolicyCondition {
  expected?: unknown[];
}

/** What a policy file may contain: a list of policies or `{ policies: [...] }`. */
export type PolicyFile = Policy[] | { $schema?: string; policies: Policy[] };

/** The question asked of the engine. */
export interface EvaluateInput {
  /** `"Type::field"`, e.g. `"Query::posts"`. */
  resource: string;
  /** e.g. `query`, `mutation`, `subscription`, or a custom action. */
  action: string;
  /** The roles of the caller; `[]` for anonymous. */
  roles: readonly string[];
  /** What conditions read: `{ user, request, args, root, identity }`. */
  context?: Record<string, unknown>;
}

/** The engine's answer. */
export interface Decision {
  allowed: boolean;
  /** `default-deny`: no policy matched. */
  effect: "allow" | "deny" | "default-deny";
  /** The deciding policy, absent for `default-deny`. */
  policyId?: string;
  /** Short, data-free explanation, safe to log. */
  reason: string;
  /**
   * Present (`true`) when the context has no `root` and a policy that reads
   * `root.*` could change the answer: the decision depends on the object
   * (e.g. the `User` whose `email` is asked for). `allowed` is then `false`
   * (nothing is allowed without the object); ask again with `root` in the
   * context, or filter rows with `plan()`. `reason` names the policy.
   */
  dependsOnObject?: true;
}

/** Why one policy did or did not match. */
export interface PolicyTrace {
  policyId: string;
  effect: PolicyEffect;
  /** The policy counts for the decision (a deny whose condition cannot be evaluated counts). */
  matched: boolean;
  /**
   * e.g. `action 'mutation' not in [query]`, `condition[0] user.id equals: got undefined`,
   * `condition[0] user.id notMatch cannot be evaluated: user.id is missing (deny matches)`.
   */
  reason: string;
  /** Present (`true`) when the policy reads `root.*`, the context has no `root`, and the object decides. */
  dependsOnObject?: true;
}

/** A decision plus a trace of every policy. */
export interface Explanation extends Decision {
  considered: PolicyTrace[];
}

/** Options of {@link PolicyEngine.resourcesMatching}. */
export interface ResourcesMatchingOptions {
  /** Only count policies that cover this action. @default any action */
  action?: string;
  /** Only count policies with this effect. @default either effect */
  effect?: PolicyEffect;
}

/** A compiled, immutable set of policies. */
export interface PolicyEngine {
  /**
   * Decide one request. Pure, synchronous, never throws: anything unexpected
   * denies. The returned decision is a shared frozen object; copy it
   * (`{ ...decision }`) before changing it.
   */
  evaluate(input: EvaluateInput): Decision;
  /** Same decision as `evaluate`, plus why each policy did or did not match. For debugging and the CLI. */
  explain(input: EvaluateInput): Explanation;
  /** The policies, normalized and frozen, in file order. */
  readonly policies: readonly NormalizedPolicy[];
  /**
   * The subset of `resources` that at least one policy's resource pattern
   * covers (ignoring roles and conditions). Coverage checks use it.
   */
  resourcesMatching(resources: readonly string[], options?: ResourcesMatchingOptions): string[];
  /**
   * The object paths that the policies which could apply to `(resource, action)`
   * read: every `root.*` path in the `field` or `expectedOnContext` of their
   * conditions, with `root.` stripped (`["id", "author.id"]`), in file order
   * without repeats. Roles are ignored (any caller). GraphQL uses it to fetch
   * these fields for each object and judge the field per object.
   * A malformed resource gives `[]`.
   * @example
   * engine.objectPaths("User::email", "query"); // ["id"]
   */
  objectPaths(resource: string, action: string): string[];
  /**
   * The objects (rows) this caller may reach, as a row filter over the
   * object's paths with `root.` stripped, for `toSql` / `toPredicate`
   * (`gatehouse/filter`). Exactly: a row is selected ⇔
   * `evaluate({ ...input, context: { ...context, root: row } }).allowed`.
   * Conditions that do not read `root` are decided with `input.context`;
   * a `root` in it is ignored. Where a condition cannot be written as a row
   * filter (two fields of the object compared with each other, `null`
   * compared with `null`, array fields of `in`), the plan leaves those rows
   * out: it is never wider than `evaluate`. Never throws; unusable input
   * gives `{ kind: "none" }`.
   * @example
   * const filter = engine.plan({ resource: "Recipe::*", action: "query", roles, context: { user } });
   * const { text, values } = toSql(filter, { columns: { "createdBy.id": "created_by", published: "published" } });
   */
  plan(input: EvaluateInput): Filter;
}

/** Options of `createPolicyEngine`. */
export interface PolicyEngineOptions {
  /**
   * Put the type of compared values in explain traces only (`got string`), or
   * also the value itself (`got "abc"`). Values may be personal data, so
   * they are left out unless you ask.
   * @default false
   */
  explainValues?: boolean;
  /**
   * Called when a condition throws (e.g. a context getter fails). The request
   * is denied either way; use this to log. Errors thrown by the hook are ignored.
   * @default undefined (nothing is called)
   */
  onConditionError?: (policyId: string, error: unknown) => void;
}
