// A small harness for the GraphQL AuthZ compatibility cases: one SDL with
// `@@Type.field` / `@@Type` markers where rules attach, run either with the
// rules as `@authz(...)` directives or as an authSchema (GraphQL AuthZ's two
// declaration modes). Unmarked fields are open through a `*.*` wildcard, as
// they are in GraphQL AuthZ.
import { buildSchema, execute, isAbstractType, isObjectType, parse, type ExecutionResult, type GraphQLSchema } from "graphql";
import { createSecurityContext } from "gatehouse";
import { allow, authzDirectiveTypeDefs, createAuthz, graphqlAuthzDirectiveTypeDefs, type AuthzConfig, type AuthzOptions } from "gatehouse/graphql";

export type Mode = "directive" | "authSchema";
export const MODES: Mode[] = ["directive", "authSchema"];

export interface User {
  id: string;
  role: "admin" | "customer";
}

/** `{ and: ["A"] }` as a GraphQL literal with bare names: `{and: [A]}`. */
function literal(value: unknown): string {
  return JSON.stringify(value).replace(/"([^"]*)"/g, "$1");
}

function directive(config: AuthzConfig): string {
  const args = Object.entries(config).map(([k, v]) => `${k}: ${literal(v)}`);
  return `@authz(${args.join(", ")})`;
}

const baseDirectives = authzDirectiveTypeDefs.split("\n").filter((l) => !l.startsWith("directive @authz")).join("\n");

export interface Setup {
  sdl: string;
  /** Coordinate (`Type` or `Type.field`) -> what attaches there. */
  attach: Record<string, AuthzConfig>;
  rules: AuthzOptions["rules"];
  resolvers?: Record<string, Record<string, unknown>>;
  mode: Mode;
  extra?: Omit<AuthzOptions, "schema" | "rules" | "authSchema">;
}

export function setup(s: Setup) {
  const sdl = s.sdl.replace(/@@([A-Za-z_.]+)/g, (_m, coord: string) => (s.mode === "directive" && s.attach[coord] ? directive(s.attach[coord]!) : ""));
  const schema = buildSchema(`${graphqlAuthzDirectiveTypeDefs}\n${baseDirectives}\n${sdl}`);
  attach(schema, s.resolvers ?? {});
  const authSchema: Record<string, Record<string, unknown>> = { "*": { "*": { __authz: { rules: ["__Anyone"] } } } };
  if (s.mode === "authSchema") {
    for (const [coord, config] of Object.entries(s.attach)) {
      const [type, field] = coord.split(".") as [string, string | undefined];
      const entry = (authSchema[type] ??= {});
      if (field) entry[field] = { __authz: config };
      else entry.__authz = config;
    }
  }
  const authz = createAuthz({ schema, rules: { ...s.rules, __Anyone: allow }, authSchema: authSchema as never, ...s.extra });
  const context = (user?: User) => ({
    user,
    security: createSecurityContext({ identity: user ? { id: user.id, roles: [user.role] } : null, permissions: [] }),
  });
  const run = async (query: string, user?: User, variableValues?: Record<string, unknown>): Promise<ExecutionResult> =>
    await authz.execute({ schema, document: parse(query), contextValue: context(user), variableValues });
  const bare = async (query: string, user?: User): Promise<ExecutionResult> => await execute({ schema, document: parse(query), contextValue: context(user) });
  return { schema, authz, run, bare };
}

export function attach(schema: GraphQLSchema, map: Record<string, Record<string, unknown>>): void {
  for (const [typeName, fields] of Object.entries(map)) {
    const type = schema.getType(typeName);
    if (isAbstractType(type)) type.resolveType = fields.__resolveType as never;
    else if (isObjectType(type)) for (const [name, fn] of Object.entries(fields)) type.getFields()[name]!.resolve = fn as never;
  }
}

export const codes = (r: ExecutionResult) => (r.errors ?? []).map((e) => e.extensions?.code);
export const paths = (r: ExecutionResult) => (r.errors ?? []).map((e) => e.path?.join("."));
