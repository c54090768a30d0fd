/**
 * `gatehouse/graphql/shield`: graphql-shield's rule constructors and
 * `fromShield`, so a shield rule file ports by renaming its import and the
 * tree is handed to `createAuthz` as `rules` + `authSchema`.
 * @module
 */
export { rule, and, or, not, chain, race, allow, deny, isShieldRule } from "./constructors.js";
export type { ShieldCache, ShieldResult, ShieldRule, ShieldRuleFn, ShieldRuleOptions } from "./constructors.js";
export { fromShield } from "./from-shield.js";
export type { FromShieldOptions, FromShieldResult, ShieldRuleLike, ShieldRuleTree } from "./from-shield.js";
