/**
 * Loading policy files for the CLI: JSON errors and validation issues both
 * become messages that name the file and the JSON path to fix.
 * @module
 */
import { createPolicyEngine } from "../policy/index.js";
import type { PolicyEngine, PolicyEngineOptions } from "../policy/index.js";
import { isGatehouseError } from "../core/index.js";
import type { PolicyIssue } from "../core/index.js";
import { CliUsageError } from "./io.js";
import { readJsonFile } from "./load-json.js";

/** `path: message` lines, indented, for a list of issues. @internal */
export function formatIssues(issues: readonly PolicyIssue[]): string {
  return issues.map((i) => `  ${i.path}: ${i.message}\n`).join("");
}

/**
 * A compiled engine for the policy file `file`.
 * @throws CliUsageError when the file is missing, not JSON, or has invalid policies
 */
export function loadPolicyEngine(cwd: string, file: string, options?: PolicyEngineOptions): PolicyEngine {
  const json = readJsonFile(cwd, file, "policy file");
  return engineFrom(json, `policy file ${file}`, options);
}

/**
 * A compiled engine for already-parsed policies.
 * @throws CliUsageError listing every validation issue
 */
export function engineFrom(policies: unknown, label: string, options?: PolicyEngineOptions): PolicyEngine {
  try {
    return createPolicyEngine(policies, options);
  } catch (error) {
    if (isGatehouseError(error) && error.code === "INVALID_POLICY") {
      const issues = (error as { issues: readonly PolicyIssue[] }).issues;
      throw new CliUsageError(
        `${label}: ${issues.length} invalid ${issues.length === 1 ? "entry" : "entries"}:\n${formatIssues(issues).trimEnd()}\n` +
          "Run `gatehouse policy validate` on it for details.",
      );
    }
    throw error;
  }
}
