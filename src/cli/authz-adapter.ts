/**
 * The one place the CLI builds an authorizer from a loaded project. Rule
 * names that are used but not defined get a `deny` stand-in, so coverage
 * can still be computed and the missing names reported separately.
 * @module
 */
import { createAuthz, deny } from "../graphql/index.js";
import type { Authz, AuthzOptions } from "../graphql/index.js";
import { CliUsageError } from "./io.js";
import type { LoadedProject } from "./load-project.js";
import type { RuleUsage } from "./rule-usage.js";

/**
 * An `Authz` for the project, with `deny` standing in for each rule in
 * `usages` that `rules` lacks.
 * @throws CliUsageError when gatehouse rejects the configuration (message says why)
 */
export function buildAuthz(project: LoadedProject, rules: Record<string, unknown>, usages: readonly RuleUsage[]): Authz {
  const all: Record<string, unknown> = { ...rules };
  for (const { rule } of usages) if (!(rule in all)) all[rule] = deny;
  const options: AuthzOptions = { schema: project.schema, rules: all as AuthzOptions["rules"] };
  if (project.authSchema) options.authSchema = project.authSchema as AuthzOptions["authSchema"];
  if (project.policies !== undefined) options.policies = project.policies;
  try {
    return createAuthz(options);
  } catch (error) {
    throw new CliUsageError(`cannot set up authorization: ${error instanceof Error ? error.message : String(error)}`);
  }
}
