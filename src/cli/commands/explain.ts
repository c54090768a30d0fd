/**
 * `gatehouse explain`: which policies a request meets, and why each one
 * matched or not.
 * @module
 */
import type { Explanation } from "../../policy/index.js";
import { listOption, parseCommandArgs, requiredOption, stringOption } from "../args.js";
import type { CliCommand } from "../command.js";
import { CliUsageError, EXIT } from "../io.js";
import type { CliIo } from "../io.js";
import { readJsonFile } from "../load-json.js";
import { loadPolicyEngine } from "../policy-input.js";

const help = `Usage: gatehouse explain --policies <p.json> --resource <Type::field> --action <action>
                         [--roles r1,r2] [--context ctx.json] [--show-values] [--format text|json]

Evaluates one request against a policy file and lists every policy
considered, whether it matched, and why not. A policy whose conditions read
the object (root.*) shows "depends on the object" when --context has no
"root"; give one ({ "root": { "id": "u1" } }) to judge a given object.

Options:
  --policies <file>    policy file (JSON)                              (required)
  --resource <r>       resource, e.g. Query::posts                     (required)
  --action <a>         action, e.g. query, mutation                    (required)
  --roles <list>       caller's roles, comma-separated or repeated (default: none = anonymous)
  --context <file>     JSON object conditions read: { user, request, args, root, identity }
  --show-values        show compared context values in reasons (default: types only,
                       as values may be personal data)
  --format text|json   output format (default: text)
  -h, --help           show this help

Exit codes: 0 allowed, 1 denied (or depends on the object), 2 usage error or invalid input.
Example:
  gatehouse explain --policies policies.json --resource Query::posts --action query --roles editor
`;

function readContext(cwd: string, file: string | undefined): Record<string, unknown> | undefined {
  if (file === undefined) return undefined;
  const json = readJsonFile(cwd, file, "context file");
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new CliUsageError(`context file ${file}: must be a JSON object such as { "user": { "id": "u1" } }.`);
  }
  return json as Record<string, unknown>;
}

/** The verdict line: allowed, denied, or depending on the object (which is never an allow). */
function verdictLine(ex: Explanation): string {
  if (ex.dependsOnObject) {
    return `DEPENDS ON THE OBJECT (denied without one; pass --context with a "root" object to decide): ${ex.reason}`;
  }
  const by = ex.policyId ? ` by policy '${ex.policyId}' (${ex.effect})` : ` (${ex.effect})`;
  return `${ex.allowed ? "ALLOWED" : "DENIED"}${by}: ${ex.reason}`;
}

function formatText(ex: Explanation, resource: string, action: string, roles: string[]): string {
  const width = Math.max(6, ...ex.considered.map((c) => c.policyId.length));
  const mark = (c: Explanation["considered"][number]) => (c.dependsOnObject ? "obj? " : c.matched ? "match" : "no   ");
  const lines = ex.considered.map((c) => `  ${mark(c)}  ${c.policyId.padEnd(width)}  ${c.effect.padEnd(5)}  ${c.reason}`);
  return (
    `${action} ${resource} as roles [${roles.join(", ")}]\n` +
    `${verdictLine(ex)}\n` +
    `\n${ex.considered.length} ${ex.considered.length === 1 ? "policy" : "policies"} considered:\n` +
    (lines.length ? `${lines.join("\n")}\n` : "  (none)\n")
  );
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(
    "explain",
    argv,
    {
      policies: { type: "string" },
      resource: { type: "string" },
      action: { type: "string" },
      roles: { type: "string", multiple: true },
      context: { type: "string" },
      "show-values": { type: "boolean" },
      format: { type: "string" },
    },
    0,
  );
  if (args.values.help) return io.stdout(help), EXIT.ok;
  const policies = requiredOption(args, "explain", "policies", "<file> (the policy JSON file)");
  const resource = requiredOption(args, "explain", "resource", "<Type::field> (e.g. Query::posts)");
  const action = requiredOption(args, "explain", "action", "<action> (e.g. query)");
  const format = stringOption(args, "format") ?? "text";
  if (format !== "text" && format !== "json") throw new CliUsageError(`--format must be text or json, got '${format}'.`);
  if (!/^[^:]+::[^:]+$/.test(resource)) throw new CliUsageError(`--resource must look like Type::field (e.g. Query::posts), got '${resource}'.`);
  const roles = listOption(args, "roles");
  const context = readContext(io.cwd, stringOption(args, "context"));

  const engine = loadPolicyEngine(io.cwd, policies, { explainValues: args.values["show-values"] === true });
  const ex = engine.explain({ resource, action, roles, ...(context ? { context } : {}) });
  io.stdout(format === "json" ? `${JSON.stringify({ resource, action, roles, ...ex }, null, 2)}\n` : formatText(ex, resource, action, roles));
  return ex.allowed ? EXIT.ok : EXIT.findings;
}

/** The `explain` command. */
export const explainCommand: CliCommand = {
  name: "explain",
  summary: "explain a policy decision: every policy considered and why it matched or not",
  help,
  run,
};
