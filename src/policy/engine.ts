/**
 * `createPolicyEngine`: validate, normalize, compile and index once; then
 * evaluate requests synchronously, without I/O.
 * @module
 */
import { PolicyValidationError } from "../core/index.js";
import { splitResource } from "./glob.js";
import { actionMatches, compilePolicy, resourceCovered, roleMatches, type CompiledPolicy } from "./compile.js";
import { planPolicies } from "./plan.js";
import type { Filter } from "../filter/types.js";
import { buildIndex, candidates, type PolicyIndex } from "./policy-index.js";
import { EVALUATION_ERROR, INVALID_INPUT, MALFORMED_RESOURCE } from "./decide.js";
import { decidedByRoles, evaluateIndexed, type Evaluator } from "./evaluate.js";
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

/** The checked parts of a request for `explain`, or a default-deny decision when it is unusable. */
function checkInput(input: EvaluateInput): { type: string; field: string } | Decision {
  if (typeof input !== "object" || input === null) return INVALID_INPUT;
  const { resource, action, roles } = input;
  if (typeof action !== "string" || typeof resource !== "string" || !Array.isArray(roles)) return INVALID_INPUT;
  const parts = splitResource(resource);
  if (!parts) return MALFORMED_RESOURCE;
  return { type: parts[0], field: parts[1] };
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

/** Bounds the objectPaths cache, like the resource parse cache. */
const OBJECT_PATHS_CACHE_LIMIT = 10_000;

/** The `root.*` paths read by the policies that cover (resource, action), any role. */
function objectPathsOf(index: PolicyIndex, resource: string, action: string): readonly string[] {
  const parts = typeof resource === "string" && typeof action === "string" ? splitResource(resource) : null;
  if (parts === null) return Object.freeze([]);
  const policies = new Set<CompiledPolicy>();
  for (const bucket of candidates(index, action, parts[0], parts[1])) for (const p of bucket) policies.add(p);
  const paths = new Set<string>();
  for (const p of [...policies].sort((a, b) => a.index - b.index)) for (const path of p.objectPaths) paths.add(path);
  return Object.freeze([...paths]);
}

/** The policies that fit the request's action, resource and roles, in file order. */
function candidatesFor(index: PolicyIndex, input: EvaluateInput): CompiledPolicy[] | null {
  if (typeof input !== "object" || input === null) return null;
  const { resource, action, roles } = input;
  if (typeof action !== "string" || typeof resource !== "string" || !Array.isArray(roles)) return null;
  const parts = splitResource(resource);
  if (parts === null) return null;
  const found = new Set<CompiledPolicy>();
  for (const bucket of candidates(index, action, parts[0], parts[1])) {
    for (const p of bucket) if (roleMatches(p, roles)) found.add(p);
  }
  return [...found].sort((a, b) => a.index - b.index);
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
  const evaluator: Evaluator = { index, onError: resolved.onConditionError, parsed: new Map() };
  const objectPathsCache = new Map<string, readonly string[]>();
  const engine: PolicyEngine = Object.freeze({
    policies: normalized,
    evaluate(input: EvaluateInput): Decision {
      try {
        return evaluateIndexed(evaluator, input);
      } catch {
        // Conditions are guarded already; this catches hostile inputs (e.g. a
        // Proxy as roles) so that evaluate never throws and always denies.
        return EVALUATION_ERROR;
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
    plan(input: EvaluateInput): Filter {
      try {
        const found = candidatesFor(index, input);
        return found === null ? { kind: "none" } : planPolicies(found, input);
      } catch {
        // Like evaluate: a hostile input (e.g. a Proxy as roles) selects nothing.
        return { kind: "none" };
      }
    },
    objectPaths(resource: string, action: string): string[] {
      if (typeof resource !== "string" || typeof action !== "string") return [];
      const key = `${action}\u0000${resource}`;
      let paths = objectPathsCache.get(key);
      if (paths === undefined) {
        paths = objectPathsOf(index, resource, action);
        if (objectPathsCache.size >= OBJECT_PATHS_CACHE_LIMIT) objectPathsCache.clear();
        objectPathsCache.set(key, paths);
      }
      return [...paths];
    },
  });
  roleDeciders.set(engine, (resource, action, roles) => {
    try {
      return decidedByRoles(evaluator, resource, action, roles);
    } catch {
      // As in evaluate: a hostile role list is judged by evaluate, which denies.
      return undefined;
    }
  });
  return engine;
}

/** Decides a request from its roles alone, when no applicable policy has a condition; `undefined` otherwise. @internal */
export type RoleDecider = (resource: string, action: string, roles: readonly unknown[]) => Decision | undefined;

const roleDeciders = new WeakMap<PolicyEngine, RoleDecider>();

/**
 * The role-only shortcut of an engine made by `createPolicyEngine`, or `null`
 * for an engine of another make. Callers that would build a context only for
 * the engine to ignore it ask this first. @internal
 */
export function roleDeciderOf(engine: PolicyEngine): RoleDecider | null {
  return roleDeciders.get(engine) ?? null;
}
