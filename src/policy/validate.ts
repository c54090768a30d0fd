/**
 * Validation and normalization of policy files. A small hand validator (no
 * schema library) keeps `gatehouse/policy` free of runtime dependencies and
 * lets every message say exactly what to fix, with a JSON path.
 * @module
 */
import type { PolicyIssue } from "../core/index.js";
import { splitPattern } from "./glob.js";
import { isRecord, show, unknownKeys, validateCondition } from "./validate-condition.js";
import type { NormalizedCondition, NormalizedPolicy, PolicyCondition } from "./types.js";

// `denyType` is wahn's optional label; accepted and kept so wahn files load unchanged.
const POLICY_KEYS: ReadonlySet<string> = new Set(["id", "description", "effect", "actions", "resources", "roles", "conditions", "denyType"]);
const FILE_KEYS: ReadonlySet<string> = new Set(["$schema", "policies"]);

/**
 * The list of policies in a file (an array, or `{ policies: [...] }`), or
 * `null` with an issue when the shape is wrong.
 */
function policyList(input: unknown, issues: PolicyIssue[]): unknown[] | null {
  if (Array.isArray(input)) return input;
  if (isRecord(input) && Array.isArray(input.policies)) {
    unknownKeys(input, FILE_KEYS, "", issues);
    if (input.$schema !== undefined && typeof input.$schema !== "string") {
      issues.push({ path: "$schema", message: "must be a string (the URL or path of policy.schema.json)" });
    }
    return input.policies;
  }
  issues.push({ path: "policies", message: "must be an array of policies or an object { policies: [...] }" });
  return null;
}

function validateStrings(value: unknown, path: string, what: string, issues: PolicyIssue[], check?: (s: string) => string | null): void {
  if (!Array.isArray(value)) {
    issues.push({ path, message: `must be a non-empty array of ${what}, got ${show(value)}` });
    return;
  }
  if (value.length === 0) {
    issues.push({ path, message: `must list at least one of ${what} (use "*" for any)` });
    return;
  }
  [...value].forEach((item, k) => {
    if (typeof item !== "string" || item === "") {
      issues.push({ path: `${path}[${k}]`, message: `must be a non-empty string, got ${show(item)}` });
      return;
    }
    const problem = check?.(item);
    if (problem) issues.push({ path: `${path}[${k}]`, message: problem });
  });
}

function resourceProblem(resource: string): string | null {
  return splitPattern(resource)
    ? null
    : `malformed resource ${show(resource)}: use "Type::field" with exactly one "::" and non-empty parts ("*" allowed in either part), or "*" for every resource`;
}

function validatePolicy(policy: unknown, path: string, seen: Map<string, string>, issues: PolicyIssue[]): void {
  if (!isRecord(policy)) {
    issues.push({ path, message: "must be a policy object { id, effect, actions, resources, roles, conditions? }" });
    return;
  }
  unknownKeys(policy, POLICY_KEYS, path, issues);
  const { id, description, effect, conditions } = policy;
  if (typeof id !== "string" || id.trim() === "") {
    issues.push({ path: `${path}.id`, message: `must be a non-empty string, got ${show(id)}` });
  } else if (seen.has(id)) {
    issues.push({ path: `${path}.id`, message: `duplicate id ${show(id)} (first used at ${seen.get(id)}); ids must be unique` });
  } else {
    seen.set(id, path);
  }
  if (description !== undefined && typeof description !== "string") {
    issues.push({ path: `${path}.description`, message: "must be a string" });
  }
  if (policy.denyType !== undefined && typeof policy.denyType !== "string") {
    issues.push({ path: `${path}.denyType`, message: `must be a string, got ${show(policy.denyType)}` });
  }
  if (typeof effect !== "string" || !["allow", "deny"].includes(effect.toLowerCase())) {
    issues.push({ path: `${path}.effect`, message: `must be "allow" or "deny" (any case), got ${show(effect)}` });
  }
  validateStrings(policy.actions, `${path}.actions`, "actions", issues);
  validateStrings(policy.resources, `${path}.resources`, "resources", issues, resourceProblem);
  validateStrings(policy.roles, `${path}.roles`, "roles", issues);
  if (conditions !== undefined) {
    if (!Array.isArray(conditions)) {
      issues.push({ path: `${path}.conditions`, message: `must be an array of conditions, got ${show(conditions)}` });
    } else {
      [...conditions].forEach((c, k) => validateCondition(c, `${path}.conditions[${k}]`, issues));
    }
  }
}

/**
 * Checks a policy file and lists every problem, each with a JSON path such
 * as `policies[3].effect`. Accepts an array of policies or
 * `{ $schema?, policies: [...] }`.
 *
 * @returns `[]` when the policies are valid.
 * @example
 * const issues = validatePolicies(JSON.parse(text));
 * for (const i of issues) console.error(`${i.path}: ${i.message}`);
 */
export function validatePolicies(policies: unknown): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const list = policyList(policies, issues);
  if (!list) return issues;
  const seen = new Map<string, string>();
  [...list].forEach((p, i) => validatePolicy(p, `policies[${i}]`, seen, issues));
  return issues;
}

function normalizeCondition(c: PolicyCondition): NormalizedCondition {
  const out: NormalizedCondition = { field: c.field, operator: c.operator };
  if (c.expected !== undefined) out.expected = Object.freeze(Array.isArray(c.expected) ? [...c.expected] : [c.expected]) as unknown[];
  if (c.expectedOnContext !== undefined) out.expectedOnContext = Object.freeze([...c.expectedOnContext]) as string[];
  return Object.freeze(out);
}

/**
 * Copies validated policies into frozen, normalized objects: effect in lower
 * case, `expected` always a list. The caller's objects are never mutated.
 * @internal
 */
export function normalizePolicies(policies: unknown): readonly NormalizedPolicy[] {
  const list = (Array.isArray(policies) ? policies : (policies as { policies: unknown[] }).policies) as NormalizedPolicy[];
  return Object.freeze(
    list.map((p) => {
      const out: NormalizedPolicy = {
        id: p.id,
        effect: p.effect.toLowerCase() as NormalizedPolicy["effect"],
        actions: Object.freeze([...p.actions]) as string[],
        resources: Object.freeze([...p.resources]) as string[],
        roles: Object.freeze([...p.roles]) as string[],
      };
      if (p.description !== undefined) out.description = p.description;
      if (p.denyType !== undefined) out.denyType = p.denyType;
      if (p.conditions !== undefined) out.conditions = Object.freeze(p.conditions.map(normalizeCondition)) as NormalizedCondition[];
      return Object.freeze(out);
    }),
  );
}
