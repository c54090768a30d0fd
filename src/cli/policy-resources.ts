/**
 * Policy resources that match no field of the schema: usually a typo or a
 * field that was renamed, leaving a policy that silently protects nothing.
 * @module
 */
import type { PolicyIssue } from "../core/index.js";

type Matcher = (pattern: string, resource: string) => boolean;

function policyList(policies: unknown): unknown[] {
  if (Array.isArray(policies)) return policies;
  const list = (policies as { policies?: unknown } | null | undefined)?.policies;
  return Array.isArray(list) ? list : [];
}

/**
 * One issue per policy resource pattern that matches none of `coordinates`
 * (`Type.field`). Paths follow the validator's style (`policies[0].resources[1]`).
 * Expects policies that already passed validation.
 * @internal
 */
export function policyResourceProblems(policies: unknown, coordinates: readonly string[], matches: Matcher): PolicyIssue[] {
  const resources = coordinates.map((c) => c.replace(".", "::"));
  const issues: PolicyIssue[] = [];
  policyList(policies).forEach((policy, i) => {
    const list = (policy as { resources?: unknown }).resources;
    if (!Array.isArray(list)) return;
    list.forEach((pattern, j) => {
      if (typeof pattern !== "string" || resources.some((r) => matches(pattern, r))) return;
      const id = (policy as { id?: unknown }).id;
      issues.push({
        path: `policies[${i}].resources[${j}]`,
        message: `"${pattern}" (policy '${String(id)}') matches no field of the schema; fix the type or field name`,
      });
    });
  });
  return issues;
}
