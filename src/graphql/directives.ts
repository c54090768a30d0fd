/**
 * The SDL of gatehouse's directives and a reader that takes them from the
 * schema's AST nodes (so `@authz(rules: [IsAdmin])` with bare names works).
 * @module
 */
import { Kind, type ConstDirectiveNode, type ConstValueNode, type GraphQLField, type GraphQLNamedType } from "graphql";

/**
 * Directive definitions to add to your type definitions.
 * `@authz(rules: [IsAdmin])` accepts bare names and quoted strings.
 */
export const authzDirectiveTypeDefs = /* GraphQL */ `
directive @authz(rules: [String!]!) on OBJECT | FIELD_DEFINITION | INTERFACE
directive @public on OBJECT | FIELD_DEFINITION | INTERFACE
directive @requireAuth(roles: [String!]) on OBJECT | FIELD_DEFINITION
directive @skipAuth on OBJECT | FIELD_DEFINITION
`;

/** What the directives on one type or field say. @internal */
export interface DirectiveRules {
  /** Rule names from `@authz`, in order. */
  authz: string[];
  /** `@public` or `@skipAuth`. */
  isPublic: boolean;
  /** `@requireAuth` present: its roles (empty = any signed-in caller). */
  requireAuth: string[] | null;
}

type WithDirectives = { readonly directives?: readonly ConstDirectiveNode[] | undefined } | null | undefined;

function names(value: ConstValueNode | undefined, where: string): string[] {
  if (!value) return [];
  if (value.kind === Kind.LIST) return value.values.flatMap((v) => names(v, where));
  if (value.kind === Kind.STRING || value.kind === Kind.ENUM) return [value.value];
  throw new TypeError(`${where}: directive values must be names or strings, e.g. @authz(rules: [IsAdmin]).`);
}

function read(nodes: readonly WithDirectives[], where: string): DirectiveRules {
  const out: DirectiveRules = { authz: [], isPublic: false, requireAuth: null };
  for (const node of nodes) {
    for (const d of node?.directives ?? []) {
      const arg = (name: string) => d.arguments?.find((a) => a.name.value === name)?.value;
      switch (d.name.value) {
        case "authz":
          out.authz.push(...names(arg("rules"), where));
          break;
        case "public":
        case "skipAuth":
          out.isPublic = true;
          break;
        case "requireAuth":
          out.requireAuth = [...(out.requireAuth ?? []), ...names(arg("roles"), where)];
          break;
      }
    }
  }
  return out;
}

/** Directives on a type, its definition and extensions. @internal */
export function typeDirectives(type: GraphQLNamedType): DirectiveRules {
  return read([type.astNode, ...(type.extensionASTNodes ?? [])], type.name);
}

/** Directives on a field definition. @internal */
export function fieldDirectives(typeName: string, field: GraphQLField<unknown, unknown>): DirectiveRules {
  return read([field.astNode], `${typeName}.${field.name}`);
}

/** True when the directives attach any rule. @internal */
export function hasDirectiveRules(d: DirectiveRules): boolean {
  return d.authz.length > 0 || d.isPublic || d.requireAuth !== null;
}
