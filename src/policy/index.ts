/**
 * `gatehouse/policy`: a PBAC policy engine for JSON policies (wahn format).
 * Validate, compile, evaluate and explain. No runtime dependencies.
 *
 * `PolicyValidationError` and `PolicyIssue` come from `gatehouse`.
 * @module
 */
export { createPolicyEngine } from "./engine.js";
export { validatePolicies } from "./validate.js";
export { resourceMatches } from "./glob.js";
export { POLICY_OPERATORS } from "./types.js";
export type {
  Policy,
  PolicyCondition,
  PolicyOperator,
  PolicyEffect,
  PolicyFile,
  NormalizedPolicy,
  NormalizedCondition,
  EvaluateInput,
  Decision,
  PolicyTrace,
  Explanation,
  PolicyEngine,
  PolicyEngineOptions,
  ResourcesMatchingOptions,
} from "./types.js";
