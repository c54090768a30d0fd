/**
 * `gatehouse/graphql`: execution-time authorization on every field.
 * Secure by default (a field no rule covers is denied), rules in GraphQL
 * AuthZ's shape, attached by authSchema, directives or policies.
 * @module
 */
export { createAuthz } from "./create-authz.js";
export { preExecRule, postExecRule, and, or, not, allow, deny, isAuthenticated, hasPermission, hasRole, policy } from "./rules.js";
export type { PreExecRuleOptions, PostExecRuleOptions } from "./rules.js";
export { authzDirectiveTypeDefs, graphqlAuthzDirectiveTypeDefs, apolloDirectiveTypeDefs } from "./directives.js";
export { PreExecutionRule, PostExecutionRule, AndRule, OrRule, NotRule, UnauthorizedError } from "./compat/authz-classes.js";
export type { ClassRuleResult, RuleConfig } from "./compat/authz-classes.js";
export type { AuthzConfig, CompositeRulesItem, DeepCompositeRulesItem } from "./compat/authz-config.js";
export type { RuleInput } from "./compat/rule-like.js";
// The shield-shaped constructors (rule, and, or, ...) live in gatehouse/graphql/shield: their names clash with the rules above.
export { fromShield } from "./compat/shield/from-shield.js";
export type { FromShieldOptions, FromShieldResult, ShieldRuleTree } from "./compat/shield/from-shield.js";
export { toGraphQLError } from "./errors.js";
export type { SubscriptionGuardOptions } from "./subscription-guard.js";
export type { CompiledQueryLike, QueryCompiler } from "./compiled.js";
export { rateLimit } from "./rate-limit-rule.js";
export type { RateLimitOptions, RateLimitWindow } from "./rate-limit-rule.js";
export type {
  AccessMatrix,
  AccessMatrixRow,
  AuthSchema,
  AuthzRulesEntry,
  Authz,
  AuthzOptions,
  BatchPostExecRuleFn,
  Executor,
  PostExecRuleFn,
  PreExecRuleFn,
  PromiseOrValue,
  Rule,
  RuleCache,
  RuleInfo,
  RuleResult,
} from "./types.js";
