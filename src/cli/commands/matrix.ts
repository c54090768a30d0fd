/**
 * `gatehouse matrix`: which subject may reach which field, as Markdown,
 * HTML or JSON.
 * @module
 */
import { listOption, parseCommandArgs, stringOption } from "../args.js";
import { buildAuthz } from "../authz-adapter.js";
import type { CliCommand } from "../command.js";
import { CliUsageError, EXIT } from "../io.js";
import type { CliIo } from "../io.js";
import { matrixToJson, matrixToMarkdown } from "../matrix-format.js";
import type { MatrixTable } from "../matrix-format.js";
import { matrixToHtml } from "../matrix-html.js";
import { PROJECT_OPTIONS, gatherProject } from "../project-options.js";
import { authSchemaUsages, directiveUsages, undefinedRules } from "../rule-usage.js";
import { loadSubjects } from "../subjects.js";

const help = `Usage: gatehouse matrix <schema.graphql | module.js> --as <role | identity.json> ...
                        [--format md|html|json] [--title text] [--auth a.json] [--policies p.json]
                        [--rules rules.js]

Prints a table of field coordinates x subjects. Each cell is:
  allow    the subject may read or call the field
  deny     the field is denied to the subject
  depends  decided at run time by the data or arguments (post-execution
           rules, ownership, policy conditions)

Subjects (--as, repeat it or separate with commas):
  <role>           a role name; "anonymous" means no identity. Permissions come
                   from the module's 'roles' export ({ role: Permission[] }), if any.
  <file.json>      { "name"?: "...", "identity": { "id": "...", "roles": [...] } | null,
                     "permissions"?: [{ "name": "..." }] }

The target is an SDL file or a JS module exporting { schema, rules, authSchema?,
policies?, roles? }. Every rule the schema uses must be defined (module or --rules).

Options:
  --as <subject>       a subject (required, repeatable)
  --format md|html|json  output format (default: md)
  --title <text>       heading of the md/html output (default: "Access matrix")
  --auth, --policies, --rules   as for \`gatehouse check\`
  -h, --help           show this help

Exit codes: 0 printed, 2 usage error or invalid input.
Example:
  gatehouse matrix dist/api/authz.js --as anonymous,author,editor,admin --format html > access.html
`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(
    "matrix",
    argv,
    { ...PROJECT_OPTIONS, as: { type: "string", multiple: true }, format: { type: "string" }, title: { type: "string" } },
    1,
  );
  if (args.values.help) return io.stdout(help), EXIT.ok;
  const format = stringOption(args, "format") ?? "md";
  if (!["md", "html", "json"].includes(format)) throw new CliUsageError(`--format must be md, html or json, got '${format}'.`);
  const { project, rules, defined } = await gatherProject("matrix", args, io);
  const subjects = loadSubjects(io.cwd, listOption(args, "as"), project.roles);

  const usages = [...authSchemaUsages(project.authSchema), ...directiveUsages(project.schema)];
  const missing = [...undefinedRules(usages, defined ?? new Set()).keys()];
  if (missing.length > 0) {
    // A stand-in would print "deny" where the real rule may allow: refuse rather than mislead.
    throw new CliUsageError(
      `rules used but not defined: ${missing.join(", ")}. Pass a module that exports them (its 'rules' export) or --rules rules.js.`,
    );
  }
  const authz = buildAuthz(project, rules, usages);
  const table: MatrixTable = authz.matrix(subjects);
  const title = stringOption(args, "title") ?? "Access matrix";
  const command = `gatehouse matrix ${argv.join(" ")}`;
  if (format === "json") io.stdout(matrixToJson(table));
  else if (format === "html") io.stdout(matrixToHtml(table, title, command));
  else io.stdout(matrixToMarkdown(table, title, command));
  return EXIT.ok;
}

/** The `matrix` command. */
export const matrixCommand: CliCommand = {
  name: "matrix",
  summary: "who may reach which field: coordinates x subjects as md, html or json",
  help,
  run,
};
