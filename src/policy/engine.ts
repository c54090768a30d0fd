/**
 * `createPolicyEngine`: validate, normalize, compile and index once; then
 * evaluate requests synchronously, without I/O.
 * @module
 */
import { PolicyValidationError } from "../core/index.js";
import { splitResource } from "./glob.js";
import { actionMatches, compilePolicy, conditionsOutcome, resourceCovered, roleMatches, type CompiledPolicy } from "./compile.js";
import { candidates, buildIndex, type PolicyIndex } from "./policy-index.js";
import { DEFAULT_DENY, conclude, defaultDeny, newTally, record } from "./decide.js";
import { explainAll } from "./explain.js";
import { normalizePolicies, validatePolicies } from "./validate.js";
import type { Decision, EvaluateInput, Explanation, PolicyEngine, PolicyEngineOptions, ResourcesMatchingOptions } from "./types.js";

interface ResolvedOptions {
  readonly explainValues: boolean;
  readonly onConditionError: ((policyId: string, error: unknown) => void) | undefined;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(["explainValues", "onConditionError"]);

function resolveOptions(options: PolicyEngineOptions | undefined): ResolvedOptions {
  if (options === undefined) return { explainValues: false, onConditionError: undefined };
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createPolicyEngine: options must be an object such as { explainValues: false }.");
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new TypeError(`createPolicyEngine: unknown option '${key}'; known options: ${[...OPTION_KEYS].join(", ")}.`);
    }
  }
  const { explainValues = false, onConditionError } = options;
  if (typeof explainValues !== "boolean") throw new TypeError("createPolicyEngine: 'explainValues' must be true or false.");
  if (onConditionError !== undefined && typeof onConditionError !== "function") {
    throw new TypeError("createPolicyEngine: 'onConditionError' must be a function (policyId, error) => void.");
  }
  return Object.freeze({ explainValues, onConditionError });
}

/** The checked parts of a request, or a default-deny decision when it is unusable. */
function checkInput(input: EvaluateInput): { type: string; field: string } | Decision {
  if (typeof input !== "object" || input === null) return defaultDeny("invalid input");
  const { resource, action, roles } = input;
  if (typeof action !== "string" || typeof resource !== "string" || !Array.isArray(roles)) return defaultDeny("invalid input");
  const parts = splitResource(resource);
  if (!parts) return defaultDeny("malformed resource");
  return { type: parts[0], field: parts[1] };
}

function evaluateWith(index: PolicyIndex, options: ResolvedOptions, input: EvaluateInput): Decision {
  const checked = checkInput(input);
  if ("allowed" in checked) return checked;
  const buckets = candidates(index, input.action, checked.type, checked.field);
  if (buckets.length === 0) return DEFAULT_DENY;
  const tally = newTally();
  const { roles, context } = input;
  let any = false;
  for (const bucket of buckets) {
    for (let i = 0; i < bucket.length; i++) {
      const p = bucket[i] as CompiledPolicy;
      if (!roleMatches(p, roles)) continue;
      // Every candidate is judged: a throwing condition must deny even when
      // another policy already allowed.
      const outcome = conditionsOutcome(p, context, options.onConditionError);
      if (outcome === "fail") continue;
      record(tally, p, outcome === "error");
      any = true;
    }
  }
  return any ? conclude(tally) : DEFAULT_DENY;
}

function resourcesMatchingWith(
  policies: readonly CompiledPolicy[],
  resources: readonly string[],
  options: ResourcesMatchingOptions = {},
): string[] {
  const relevant = policies.filter(
    (p) => (options.effect === undefined || p.policy.effect === options.effect) && (options.action === undefined || actionMatches(p, options.action)),
  );
  return resources.filter((resource) => {
    const parts = typeof resource === "string" ? splitResource(resource) : null;
    return parts !== null && relevant.some((p) => resourceCovered(p, parts[0], parts[1]));
  });
}

/**
 * Validates, compiles and indexes policies (wahn-format files load
 * unchanged). The result is immutable; build a new engine to change policies.
 *
 * Deny overrides allow; nothing matching is a default deny; a condition that
 * throws denies. See docs/policy.md for the exact semantics.
 *
 * @param policies An array of policies or `{ policies: [...] }`, e.g. parsed JSON.
 * @throws PolicyValidationError (`INVALID_POLICY`) listing every issue with its JSON path.
 * @throws TypeError when `options` is malformed.
 * @example
 * const engine = createPolicyEngine([
 *   { id: "read-posts", effect: "Allow", actions: ["query"], resources: ["Query::posts", "Post::*"], roles: ["*"] },
 *   { id: "hide-drafts", effect: "Deny", actions: ["*"], resources: ["Post::draft"], roles: ["*"] },
 * ]);
 * engine.evaluate({ resource: "Query::posts", action: "query", roles: [] }).allowed; // true
 */
export function createPolicyEngine(policies: unknown, options?: PolicyEngineOptions): PolicyEngine {
  const resolved = resolveOptions(options);
  const issues = validatePolicies(policies);
  if (issues.length > 0) throw new PolicyValidationError(issues);
  const normalized = normalizePolicies(policies);
  const compiled = Object.freeze(normalized.map(compilePolicy));
  const index = buildIndex(compiled);
  return Object.freeze({
    policies: normalized,
    evaluate(input: EvaluateInput): Decision {
      try {
        return evaluateWith(index, resolved, input);
      } catch {
        // Unreachable by design (conditions are guarded); kept so evaluate never throws.
        return defaultDeny("evaluation error");
      }
    },
    explain(input: EvaluateInput): Explanation {
      const checked = checkInput(input);
      if ("allowed" in checked) return { ...checked, considered: [] };
      const request = { ...checked, action: input.action, resource: input.resource, roles: input.roles, context: input.context };
      return explainAll(compiled, request, resolved.explainValues);
    },
    resourcesMatching(resources: readonly string[], opts?: ResourcesMatchingOptions): string[] {
      return resourcesMatchingWith(compiled, resources, opts);
    },
  });
}
