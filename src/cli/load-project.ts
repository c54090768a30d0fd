/**
 * Loading what `check` and `matrix` inspect: a schema (SDL file or a module)
 * plus optional auth schema, policies and rules.
 * @module
 */
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { GraphQLError, buildSchema, isSchema, parse, validateSchema } from "graphql";
import type { GraphQLSchema } from "graphql";
import { CliUsageError } from "./io.js";
import { displayPath, readTextFile } from "./load-json.js";
import { missingDirectiveSdl } from "./directives.js";

/** What a project module may export. */
export interface ProjectModule {
  /** An executable schema, or SDL text. */
  schema?: unknown;
  /** Rules by name, as passed to `createAuthz`. */
  rules?: Record<string, unknown>;
  authSchema?: Record<string, unknown>;
  policies?: unknown;
  /** For `matrix --as <role>`: the permissions each role holds. */
  roles?: Record<string, unknown>;
}

/** A loaded project. `rules` is undefined when nothing defined any. */
export interface LoadedProject {
  schema: GraphQLSchema;
  rules?: Record<string, unknown>;
  authSchema?: Record<string, unknown>;
  policies?: unknown;
  roles?: Record<string, unknown>;
  /** `sdl` for a .graphql file, `module` for JS. */
  kind: "sdl" | "module";
}

const SDL_EXTENSIONS = new Set([".graphql", ".gql", ".graphqls"]);

function located(error: unknown, label: string): string {
  if (error instanceof GraphQLError && error.locations?.[0]) {
    const { line, column } = error.locations[0];
    return `${label}:${line}:${column}: ${error.message}`;
  }
  return `${label}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Builds a schema from SDL text. The gatehouse directives (`@authz`,
 * `@public`, `@skipAuth`, `@requireAuth`) are declared unless the SDL does.
 * @throws CliUsageError with the line and column of the first problem
 */
export function schemaFromSdl(sdl: string, label: string): GraphQLSchema {
  let schema: GraphQLSchema;
  try {
    const document = parse(sdl);
    schema = buildSchema(`${sdl}\n${missingDirectiveSdl(document)}`);
  } catch (error) {
    throw new CliUsageError(`invalid SDL: ${located(error, label)}`);
  }
  const problems = validateSchema(schema);
  if (problems.length > 0) throw new CliUsageError(`invalid schema: ${problems.map((p) => located(p, label)).join("\n")}`);
  return schema;
}

async function importModule(path: string, label: string): Promise<ProjectModule> {
  try {
    return (await import(pathToFileURL(path).href)) as ProjectModule;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_UNKNOWN_FILE_EXTENSION") {
      throw new CliUsageError(`${label}: cannot load ${extname(path)} files directly; compile it first or run with \`node --import tsx\`.`);
    }
    throw new CliUsageError(`${label}: the module failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function objectExport(mod: ProjectModule, key: keyof ProjectModule, label: string): Record<string, unknown> | undefined {
  const value = mod[key];
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliUsageError(`${label}: export '${key}' must be an object.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Loads `target`: an SDL file (.graphql, .gql, .graphqls) or a JS module
 * exporting `{ schema, rules?, authSchema?, policies?, roles? }`.
 * @throws CliUsageError for a missing file, invalid SDL or a module without a schema
 */
export async function loadProject(cwd: string, target: string): Promise<LoadedProject> {
  const { path, text } = readTextFile(cwd, target, "schema");
  const label = displayPath(cwd, path);
  if (SDL_EXTENSIONS.has(extname(path).toLowerCase())) return { schema: schemaFromSdl(text, label), kind: "sdl" };

  const mod = await importModule(path, label);
  let schema: GraphQLSchema;
  if (isSchema(mod.schema)) schema = mod.schema;
  else if (typeof mod.schema === "string") schema = schemaFromSdl(mod.schema, `${label} (schema export)`);
  else throw new CliUsageError(`${label}: the module must export 'schema' (a GraphQLSchema or SDL string).`);
  const project: LoadedProject = { schema, kind: "module" };
  const rules = objectExport(mod, "rules", label);
  const authSchema = objectExport(mod, "authSchema", label);
  const roles = objectExport(mod, "roles", label);
  if (rules) project.rules = rules;
  if (authSchema) project.authSchema = authSchema;
  if (roles) project.roles = roles;
  if (mod.policies !== undefined) project.policies = mod.policies;
  return project;
}

/**
 * Rule names from a `--rules` value: a module whose `rules` export (or
 * whose exports) are the rules, or a comma-separated list of names.
 * @throws CliUsageError when a module path cannot be loaded
 */
export async function loadRuleNames(cwd: string, value: string): Promise<{ names: string[]; rules?: Record<string, unknown> }> {
  if (!/\.(c|m)?[jt]s$/.test(value)) return { names: value.split(",").map((n) => n.trim()).filter(Boolean) };
  const { path } = readTextFile(cwd, value, "rules module");
  const mod = (await importModule(path, displayPath(cwd, path))) as Record<string, unknown>;
  const rules = (typeof mod.rules === "object" && mod.rules !== null ? mod.rules : mod) as Record<string, unknown>;
  const names = Object.keys(rules).filter((k) => k !== "default");
  return { names, rules };
}
