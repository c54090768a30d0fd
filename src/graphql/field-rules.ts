/**
 * Which rules apply to a field `T.f`, from every source: authSchema,
 * directives, interfaces and policies. Resolved once per coordinate.
 * @module
 */
import { getNamedType, isInterfaceType, isObjectType, type GraphQLInterfaceType, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { apolloRules } from "./compat/apollo.js";
import { configRuleNames, configRules, type AuthzConfig } from "./compat/authz-config.js";
import { fieldDirectives, typeDirectives, type DirectiveRules } from "./directives.js";
import { allow, needsResult, policy, requireAuth, usesPolicy } from "./rules.js";
import type { AuthSchema, PostRule, Rule } from "./types.js";

/** A rule with the name audit events use. @internal */
export interface NamedRule {
  readonly rule: Rule;
  readonly name: string;
}

/** The compiled rules of one coordinate. @internal */
export interface FieldRules {
  readonly coordinate: string;
  /** Rules decided before execution. */
  readonly pre: readonly NamedRule[];
  /** Rules (or composites) that need the result. */
  readonly post: readonly NamedRule[];
  /** Rules judged inside the resolver on its source object (ported graphql-shield rules). */
  readonly source: readonly NamedRule[];
  /** No rule from any source: denied (secure by default). */
  readonly uncovered: boolean;
}

/** Inputs of {@link createFieldRules}. @internal */
export interface FieldRulesSources {
  schema: GraphQLSchema;
  rules: ReadonlyMap<string, Rule>;
  authSchema: AuthSchema;
  /** Does any policy resource match `Type::field`? */
  policyCovers: ((resource: string) => boolean) | null;
  /** The per-object policy check of a non-root field whose policies read `root`, if any. */
  objectPolicy: ((type: GraphQLObjectType, fieldName: string) => PostRule | null) | null;
  /** Decides `@policy` names (Apollo Router directive). */
  policyResolver?: Parameters<typeof apolloRules>[1];
}

/** Builds the memoized resolver `(type, fieldName) => FieldRules`. @internal */
export function createFieldRules(sources: FieldRulesSources): (type: GraphQLObjectType, fieldName: string) => FieldRules {
  const names = new Map<Rule, string>();
  for (const [name, rule] of sources.rules) if (!names.has(rule)) names.set(rule, name);
  const named = (rule: Rule): NamedRule => ({ rule, name: names.get(rule) ?? rule.name });
  const lookup = (n: string): Rule => sources.rules.get(n)!;
  const byName = (list: readonly string[]): NamedRule[] => list.map((n) => ({ rule: lookup(n), name: n }));
  const auth = sources.authSchema;
  // rules, compositeRules and deepCompositeRules of one authSchema entry. Built once per
  // entry: a composite in a wildcard is then one rule object, cached once per request.
  const built = new WeakMap<AuthzConfig, NamedRule[]>();
  const authRules = (typeName: string, key: string): NamedRule[] => {
    const entry = auth[typeName]?.[key] as { __authz?: AuthzConfig } | undefined;
    const config = key === "__authz" ? (entry as AuthzConfig | undefined) : entry?.__authz;
    if (!config) return [];
    let rules = built.get(config);
    if (!rules) built.set(config, (rules = configRules(config, lookup)));
    // A copy: callers extend the list they get.
    return [...rules];
  };
  const resolver = sources.policyResolver ?? null;

  // Explicit rules of a type or field: authSchema entry plus directives.
  const explicit = (typeName: string, d: DirectiveRules, key: string): NamedRule[] => {
    const out = [...authRules(typeName, key), ...byName(d.authz), ...d.configs.flatMap((c) => configRules(c, lookup)), ...apolloRules(d.apollo, resolver)];
    if (d.requireAuth !== null) out.push(named(requireAuth(d.requireAuth)));
    return out;
  };
  // Apollo Router: a field is denied when the type it returns is (scalars and enums included).
  const returnTypeCache = new Map<string, NamedRule[]>();
  const returnTypeRules = (typeName: string, d: () => DirectiveRules): NamedRule[] => {
    let hit = returnTypeCache.get(typeName);
    if (!hit) returnTypeCache.set(typeName, (hit = apolloRules(d().apollo, resolver)));
    return hit;
  };

  const rootTypes = new Set<GraphQLObjectType | null | undefined>([sources.schema.getQueryType(), sources.schema.getMutationType(), sources.schema.getSubscriptionType()]);
  const cache = new Map<string, FieldRules>();
  const typeCache = new Map<string, { rules: NamedRule[]; isPublic: boolean }>();
  const typeLevel = (type: GraphQLObjectType | GraphQLInterfaceType) => {
    let hit = typeCache.get(type.name);
    if (!hit) {
      const d = typeDirectives(type);
      hit = { rules: explicit(type.name, d, "__authz"), isPublic: d.isPublic };
      typeCache.set(type.name, hit);
    }
    return hit;
  };

  return (type, fieldName) => {
    const coordinate = `${type.name}.${fieldName}`;
    const cached = cache.get(coordinate);
    if (cached) return cached;
    const field = type.getFields()[fieldName];
    const fd = field ? fieldDirectives(type.name, field) : { authz: [], configs: [], apollo: { authenticated: false, scopes: [], policies: [] }, isPublic: false, requireAuth: null };
    let list: NamedRule[];
    if (fd.isPublic) {
      list = [named(allow)];
    } else {
      const own = explicit(type.name, fd, fieldName);
      const t = typeLevel(type);
      if (t.isPublic) {
        // @public type: fields are allowed unless they carry explicit rules (T.f or T.*).
        const typeStar = authRules(type.name, "*");
        list = own.length > 0 ? own : typeStar.length > 0 ? typeStar : [named(allow)];
      } else {
        const typeRules = t.rules.length > 0 ? t.rules : authRules("*", "__authz");
        const fieldRules = firstNonEmpty([own, authRules(type.name, "*"), authRules("*", fieldName), authRules("*", "*")]);
        list = [...typeRules, ...fieldRules];
      }
      for (const iface of type.getInterfaces()) list.push(...interfaceRules(iface, fieldName));
      if (field) {
        const returned = getNamedType(field.type);
        if (returned !== type) list.push(...returnTypeRules(returned.name, () => typeDirectives(returned)));
      }
      if (sources.policyCovers?.(`${type.name}::${fieldName}`)) list.push(named(policy()));
      const objectRule = rootTypes.has(type) ? null : sources.objectPolicy?.(type, fieldName);
      if (objectRule) list = list.map((n) => (usesPolicy(n.rule) ? { rule: bindPolicy(n.rule, objectRule), name: n.name } : n));
    }
    const result: FieldRules = Object.freeze({
      coordinate,
      pre: list.filter((r) => r.rule.kind !== "source" && !needsResult(r.rule)),
      post: list.filter((r) => needsResult(r.rule)),
      source: list.filter((r) => r.rule.kind === "source"),
      uncovered: list.length === 0,
    });
    cache.set(coordinate, result);
    return result;
  };

  // Interfaces contribute their explicit rules only, never wildcards.
  function interfaceRules(iface: GraphQLInterfaceType, fieldName: string): NamedRule[] {
    const out = [...typeLevel(iface).rules];
    const field = iface.getFields()[fieldName];
    if (field) out.push(...explicit(iface.name, fieldDirectives(iface.name, field), fieldName));
    return out;
  }
}

/** `rule` with every `policy()` inside it replaced by the per-object policy check. */
function bindPolicy(rule: Rule, objectRule: PostRule): Rule {
  if (rule.kind === "policy") return objectRule;
  if (rule.kind === "and" || rule.kind === "or" || rule.kind === "not") return { ...rule, rules: rule.rules.map((r) => bindPolicy(r, objectRule)) };
  return rule;
}

function firstNonEmpty(lists: NamedRule[][]): NamedRule[] {
  return lists.find((l) => l.length > 0) ?? [];
}

/** Every rule name the authSchema and directives mention, with where, for validation. @internal */
export function referencedRuleNames(schema: GraphQLSchema, authSchema: AuthSchema): Array<{ name: string; where: string }> {
  const out: Array<{ name: string; where: string }> = [];
  for (const [typeName, entry] of Object.entries(authSchema)) {
    for (const [key, value] of Object.entries(entry ?? {})) {
      const config = key === "__authz" ? value : (value as { __authz?: unknown } | undefined)?.__authz;
      const where = key === "__authz" ? `authSchema.${typeName}.__authz` : `authSchema.${typeName}.${key}.__authz`;
      for (const name of configRuleNames(config, where)) out.push({ name, where });
    }
  }
  const fromDirectives = (d: DirectiveRules, where: string) => {
    for (const name of d.authz) out.push({ name, where });
    for (const config of d.configs) for (const name of configRuleNames(config, where)) out.push({ name, where });
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    fromDirectives(typeDirectives(type), `@authz on ${type.name}`);
    for (const field of Object.values(type.getFields())) fromDirectives(fieldDirectives(type.name, field), `@authz on ${type.name}.${field.name}`);
  }
  return out;
}
