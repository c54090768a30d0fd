/**
 * `gatehouse policy validate <policies.json>`: every validation issue with its JSON path.
 * @module
 */
import { validatePolicies } from "../../policy/index.js";
import { parseCommandArgs } from "../args.js";
import type { CliCommand } from "../command.js";
import { CliUsageError, EXIT } from "../io.js";
import type { CliIo } from "../io.js";
import { readJsonFile } from "../load-json.js";
import { formatIssues } from "../policy-input.js";

const help = `Usage: gatehouse policy validate <policies.json> [--format text|json]

Checks a policy file (a list of policies, or { "policies": [...] }) and
prints every problem with the JSON path of the offending value.

Options:
  --format text|json   output format (default: text)
  -h, --help           show this help

Exit codes: 0 valid, 1 issues found, 2 usage error, missing file or invalid JSON.
`;

function policyCount(json: unknown): number {
  if (Array.isArray(json)) return json.length;
  const list = (json as { policies?: unknown } | null)?.policies;
  return Array.isArray(list) ? list.length : 0;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("policy validate", argv, { format: { type: "string" } }, 1);
  if (args.values.help) return io.stdout(help), EXIT.ok;
  const file = args.positionals[0];
  if (!file) throw new CliUsageError("missing the policy file.\nUsage: gatehouse policy validate <policies.json>");
  const format = args.values.format ?? "text";
  if (format !== "text" && format !== "json") throw new CliUsageError(`--format must be text or json, got '${String(format)}'.`);

  const json = readJsonFile(io.cwd, file, "policy file");
  const issues = validatePolicies(json);
  if (format === "json") {
    io.stdout(`${JSON.stringify({ file, valid: issues.length === 0, issues }, null, 2)}\n`);
  } else if (issues.length === 0) {
    io.stdout(`${file}: ${policyCount(json)} policies, no issues.\n`);
  } else {
    io.stdout(`${file}: ${issues.length} ${issues.length === 1 ? "issue" : "issues"}:\n${formatIssues(issues)}`);
  }
  return issues.length === 0 ? EXIT.ok : EXIT.findings;
}

/** The `policy validate` command. */
export const policyValidateCommand: CliCommand = {
  name: "policy validate",
  summary: "validate a policy file and list every issue with its JSON path",
  help,
  run,
};
