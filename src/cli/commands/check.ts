/**
 * `gatehouse check`: the CI gate. Lists every uncovered field, every rule
 * name used but not defined, every policy problem and every policy resource
 * that matches no field.
 * @module
 */
import type { PolicyIssue } from "../../core/index.js";
import { resourceMatches, validatePolicies } from "../../policy/index.js";
import { parseCommandArgs, stringOption } from "../args.js";
import { buildAuthz } from "../authz-adapter.js";
import type { CliCommand } from "../command.js";
import { CliUsageError, EXIT } from "../io.js";
import type { CliIo } from "../io.js";
import type { LoadedProject } from "../load-project.js";
import { policyResourceProblems } from "../policy-resources.js";
import { PROJECT_OPTIONS, gatherProject } from "../project-options.js";
import { authSchemaUsages, directiveUsages, fieldCoordinates, undefinedRules } from "../rule-usage.js";
import type { RuleUsage } from "../rule-usage.js";

const help = `Usage: gatehouse check <schema.graphql | module.js> [--auth auth.json] [--policies p.json]
                       [--rules Name1,Name2 | --rules rules.js] [--format text|json]

Fails (exit 1) when the schema has a field no rule covers (nested fields
included), an auth schema entry for a type the schema does not have, a rule
name used in the auth schema or in @authz but not defined,
an invalid policy, or a policy resource that matches no field.

The target is an SDL file (.graphql, .gql, .graphqls) or a JS module that
exports { schema, rules?, authSchema?, policies? } (schema: GraphQLSchema or SDL).

Options:
  --auth <file>        auth schema JSON { Type: { __authz: { rules }, field: { __authz: { rules } } } }
                       (overrides the module's authSchema)
  --policies <file>    policy JSON (overrides the module's policies)
  --rules <list|file>  defined rule names, comma-separated, or a module exporting them
                       (its 'rules' export, or all its exports). Without --rules and
                       without a module's rules, rule definitions are not checked.
  --format text|json   output format (default: text)
  -h, --help           show this help

Exit codes: 0 no findings, 1 findings, 2 usage error or invalid input (missing
file, invalid SDL or JSON).
`;

/** What check found. */
interface Findings {
  uncovered: string[];
  /** authSchema keys naming no type of the schema (accepted by createAuthz, likely typos). */
  unknownTypes: string[];
  undefinedRules: Array<{ rule: string; usedAt: string[] }>;
  policyIssues: PolicyIssue[];
  unmatchedResources: PolicyIssue[];
  fields: number;
  rulesChecked: boolean;
  policies: number;
}

function findings(project: LoadedProject, rules: Record<string, unknown>, defined: Set<string> | undefined): Findings {
  const usages: RuleUsage[] = [...authSchemaUsages(project.authSchema), ...directiveUsages(project.schema)];
  const missing = defined ? undefinedRules(usages, defined) : new Map<string, RuleUsage[]>();
  const policyIssues = project.policies === undefined ? [] : validatePolicies(project.policies);
  // Invalid policies cannot be compiled; coverage is then computed without them.
  const usable = policyIssues.length === 0 ? project : { ...project, policies: undefined };
  const authz = buildAuthz(usable, rules, usages);
  const coordinates = fieldCoordinates(project.schema);
  return {
    uncovered: authz.coverage().uncovered,
    unknownTypes: authz.coverage().unknownTypes ?? [],
    undefinedRules: [...missing].map(([rule, uses]) => ({ rule, usedAt: uses.map((u) => `${u.at} (${u.source})`) })),
    policyIssues,
    unmatchedResources: policyIssues.length === 0 ? policyResourceProblems(project.policies, coordinates, resourceMatches) : [],
    fields: coordinates.length,
    rulesChecked: defined !== undefined,
    policies: countPolicies(project.policies),
  };
}

function countPolicies(policies: unknown): number {
  if (Array.isArray(policies)) return policies.length;
  const list = (policies as { policies?: unknown } | undefined)?.policies;
  return Array.isArray(list) ? list.length : 0;
}

function total(f: Findings): number {
  return f.uncovered.length + f.unknownTypes.length + f.undefinedRules.length + f.policyIssues.length + f.unmatchedResources.length;
}

function section(title: string, lines: string[]): string {
  return lines.length === 0 ? "" : `${title} (${lines.length}):\n${lines.map((l) => `  ${l}\n`).join("")}\n`;
}

function formatText(f: Findings): string {
  const body =
    section("Uncovered fields (no rule, type rule or wildcard applies; add one or mark @public)", f.uncovered) +
    section("Auth schema types that are not in the schema (rules there apply to nothing)", f.unknownTypes) +
    section("Rules used but not defined", f.undefinedRules.map((u) => `${u.rule}  used at ${u.usedAt.join(", ")}`)) +
    section("Invalid policies", f.policyIssues.map((i) => `${i.path}: ${i.message}`)) +
    section("Policy resources that match no field", f.unmatchedResources.map((i) => `${i.path}: ${i.message}`));
  const n = total(f);
  const scope = `${f.fields} fields, ${f.policies} policies${f.rulesChecked ? "" : "; rule definitions not checked, pass --rules"}`;
  return n === 0 ? `gatehouse check: ok (${scope}).\n` : `${body}gatehouse check: ${n} ${n === 1 ? "problem" : "problems"} (${scope}).\n`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(
    "check",
    argv,
    { ...PROJECT_OPTIONS, format: { type: "string" } },
    1,
  );
  if (args.values.help) return io.stdout(help), EXIT.ok;
  const format = stringOption(args, "format") ?? "text";
  if (format !== "text" && format !== "json") throw new CliUsageError(`--format must be text or json, got '${format}'.`);
  const { project, rules, defined } = await gatherProject("check", args, io);
  const f = findings(project, rules, defined);
  io.stdout(format === "json" ? `${JSON.stringify({ ok: total(f) === 0, ...f }, null, 2)}\n` : formatText(f));
  return total(f) === 0 ? EXIT.ok : EXIT.findings;
}

/** The `check` command. */
export const checkCommand: CliCommand = {
  name: "check",
  summary: "list uncovered fields, undefined rules and dead policy resources (for CI)",
  help,
  run,
};
