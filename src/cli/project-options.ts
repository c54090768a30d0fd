/**
 * The options `check` and `matrix` share: the schema target plus --auth,
 * --policies and --rules, which override what a module exports.
 * @module
 */
import { stringOption } from "./args.js";
import type { ParsedArgs } from "./args.js";
import { CliUsageError } from "./io.js";
import type { CliIo } from "./io.js";
import { copiesNote, inspectCopies, unbrandedMessage } from "./gatehouse-copies.js";
import { readJsonFile } from "./load-json.js";
import { loadProject, loadRuleNames } from "./load-project.js";
import type { LoadedProject } from "./load-project.js";

/** parseArgs declarations of the shared options. @internal */
export const PROJECT_OPTIONS = {
  auth: { type: "string" },
  policies: { type: "string" },
  rules: { type: "string" },
} as const;

/** A project plus the rules known for it. */
export interface GatheredProject {
  project: LoadedProject;
  /** Rule values (from the module or a --rules module); names only give none. */
  rules: Record<string, unknown>;
  /** Names counted as defined; undefined when nothing defined any rule (not checkable). */
  defined?: Set<string>;
}

/**
 * Loads the positional target and applies --auth, --policies and --rules.
 * @throws CliUsageError for missing or invalid inputs
 * @internal
 */
export async function gatherProject(command: string, args: ParsedArgs, io: CliIo): Promise<GatheredProject> {
  const target = args.positionals[0];
  if (!target) throw new CliUsageError(`missing the schema: gatehouse ${command} <schema.graphql | module.js>.`);
  const project = await loadProject(io.cwd, target);
  const auth = stringOption(args, "auth");
  if (auth !== undefined) {
    const json = readJsonFile(io.cwd, auth, "auth schema file");
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new CliUsageError(`auth schema file ${auth}: must be a JSON object { "Type": { "__authz": { "rules": [...] } } }.`);
    }
    project.authSchema = json as Record<string, unknown>;
  }
  const policies = stringOption(args, "policies");
  if (policies !== undefined) project.policies = readJsonFile(io.cwd, policies, "policy file");
  let rules = project.rules ?? {};
  let defined = project.rules ? new Set(Object.keys(project.rules)) : undefined;
  const rulesOption = stringOption(args, "rules");
  if (rulesOption !== undefined) {
    const loaded = await loadRuleNames(io.cwd, rulesOption);
    defined = new Set([...(defined ?? []), ...loaded.names]);
    if (loaded.rules) rules = { ...rules, ...loaded.rules };
  }
  // Two copies of gatehouse in one process is a setup problem worth naming before anything fails on it.
  const copies = inspectCopies(rules);
  const unbranded = unbrandedMessage(copies, io.cwd);
  if (unbranded) throw new CliUsageError(unbranded);
  const note = copiesNote(copies, io.cwd);
  if (note) io.stderr(`gatehouse ${command}: ${note}`);
  return defined ? { project, rules, defined } : { project, rules };
}

