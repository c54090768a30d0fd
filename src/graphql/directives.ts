/**
 * The SDL of gatehouse's directives and a reader that takes them from the
 * schema's AST nodes (so `@authz(rules: [IsAdmin])` with bare names works).
 * @module
 */
import { Kind, valueFromASTUntyped, type ConstDirectiveNode, type ConstValueNode, type GraphQLField, type GraphQLNamedType } from "graphql";
import type { AuthzConfig } from "./compat/authz-config.js";

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

/**
 * `@authz` as GraphQL AuthZ declares it, with `compositeRules` and
 * `deepCompositeRules` (use instead of the `@authz` of
 * {@link authzDirectiveTypeDefs}, together with `@public` etc. from there
 * if wanted). Rule names may be bare names or strings.
 */
export const graphqlAuthzDirectiveTypeDefs = /* GraphQL */ `
input AuthZDirectiveCompositeRulesInput { and: [String!] or: [String!] not: [String!] }
input AuthZDirectiveDeepCompositeRulesInput {
  id: String
  and: [AuthZDirectiveDeepCompositeRulesInput!]
  or: [AuthZDirectiveDeepCompositeRulesInput!]
  not: AuthZDirectiveDeepCompositeRulesInput
}
directive @authz(
  rules: [String!]
  compositeRules: [AuthZDirectiveCompositeRulesInput!]
  deepCompositeRules: [AuthZDirectiveDeepCompositeRulesInput!]
) on OBJECT | FIELD_DEFINITION | INTERFACE
`;

/**
 * Apollo Router's authorization directives. Outer lists are alternatives
 * (OR), inner lists must all hold (AND). On a type, they apply to every
 * field returning it (and, for object types, to the type's own fields).
 */
export const apolloDirectiveTypeDefs = /* GraphQL */ `
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
`;

/** Apollo Router directives on one element; each `@requiresScopes` / `@policy` application must hold. @internal */
export interface ApolloDirectives {
  authenticated: boolean;
  scopes: string[][][];
  policies: string[][][];
}

/** What the directives on one type or field say. @internal */
export interface DirectiveRules {
  /** Rule names from `@authz`, in order. */
  authz: string[];
  /** `compositeRules` / `deepCompositeRules` of `@authz`. */
  configs: AuthzConfig[];
  apollo: ApolloDirectives;
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

/** `[["a", "b"], ["c"]]` from a `[[String!]!]!` argument; anything else is a schema mistake. */
function nested(value: ConstValueNode | undefined, where: string, directive: string): string[][] {
  const bad = () => new TypeError(`${where}: @${directive} takes a list of lists of strings, e.g. [["read:a", "read:b"], ["admin"]].`);
  if (!value) throw bad();
  const outer = value.kind === Kind.LIST ? value.values : [value];
  return outer.map((inner) => {
    const items = inner.kind === Kind.LIST ? inner.values : [inner];
    return items.map((v) => {
      if (v.kind !== Kind.STRING && v.kind !== Kind.ENUM) throw bad();
      return v.value;
    });
  });
}

function read(nodes: readonly WithDirectives[], where: string): DirectiveRules {
  const out: DirectiveRules = { authz: [], configs: [], apollo: { authenticated: false, scopes: [], policies: [] }, isPublic: false, requireAuth: null };
  for (const node of nodes) {
    for (const d of node?.directives ?? []) {
      const arg = (name: string) => d.arguments?.find((a) => a.name.value === name)?.value;
      switch (d.name.value) {
        case "authz": {
          out.authz.push(...names(arg("rules"), where));
          const composite = arg("compositeRules");
          const deep = arg("deepCompositeRules");
          if (composite || deep) {
            out.configs.push({
              ...(composite ? { compositeRules: valueFromASTUntyped(composite) as AuthzConfig["compositeRules"] } : {}),
              ...(deep ? { deepCompositeRules: valueFromASTUntyped(deep) as AuthzConfig["deepCompositeRules"] } : {}),
            });
          }
          break;
        }
        case "authenticated":
          out.apollo.authenticated = true;
          break;
        case "requiresScopes":
          out.apollo.scopes.push(nested(arg("scopes"), where, "requiresScopes"));
          break;
        case "policy":
          out.apollo.policies.push(nested(arg("policies"), where, "policy"));
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
  return d.authz.length > 0 || d.configs.length > 0 || d.isPublic || d.requireAuth !== null || hasApollo(d.apollo);
}

/** True when some Apollo Router directive is present. @internal */
export function hasApollo(a: ApolloDirectives): boolean {
  return a.authenticated || a.scopes.length > 0 || a.policies.length > 0;
}
