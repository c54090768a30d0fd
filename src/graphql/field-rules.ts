/**
 * Which rules apply to a field `T.f`, from every source: authSchema,
 * directives, interfaces and policies. Resolved once per coordinate.
 * @module
 */
import { isInterfaceType, isObjectType, type GraphQLInterfaceType, type GraphQLObjectType, type GraphQLSchema } from "graphql";
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
}

/** Builds the memoized resolver `(type, fieldName) => FieldRules`. @internal */
export function createFieldRules(sources: FieldRulesSources): (type: GraphQLObjectType, fieldName: string) => FieldRules {
  const names = new Map<Rule, string>();
  for (const [name, rule] of sources.rules) if (!names.has(rule)) names.set(rule, name);
  const named = (rule: Rule): NamedRule => ({ rule, name: names.get(rule) ?? rule.name });
  const byName = (list: readonly string[]): NamedRule[] => list.map((n) => ({ rule: sources.rules.get(n)!, name: n }));
  const auth = sources.authSchema;
  const authRules = (typeName: string, key: string): string[] | undefined => {
    const entry = auth[typeName]?.[key] as { __authz?: { rules: string[] } } | undefined;
    return key === "__authz" ? (entry as unknown as { rules: string[] } | undefined)?.rules : entry?.__authz?.rules;
  };

  // Explicit rules of a type or field: authSchema entry plus directives.
  const explicit = (typeName: string, d: DirectiveRules, key: string): NamedRule[] => {
    const out = byName([...(authRules(typeName, key) ?? []), ...d.authz]);
    if (d.requireAuth !== null) out.push(named(requireAuth(d.requireAuth)));
    return out;
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
    const fd = field ? fieldDirectives(type.name, field) : { authz: [], isPublic: false, requireAuth: null };
    let list: NamedRule[];
    if (fd.isPublic) {
      list = [named(allow)];
    } else {
      const own = explicit(type.name, fd, fieldName);
      const t = typeLevel(type);
      if (t.isPublic) {
        // @public type: fields are allowed unless they carry explicit rules (T.f or T.*).
        const typeStar = byName(authRules(type.name, "*") ?? []);
        list = own.length > 0 ? own : typeStar.length > 0 ? typeStar : [named(allow)];
      } else {
        const typeRules = t.rules.length > 0 ? t.rules : byName(authRules("*", "__authz") ?? []);
        const fieldRules = firstNonEmpty([own, byName(authRules(type.name, "*") ?? []), byName(authRules("*", fieldName) ?? []), byName(authRules("*", "*") ?? [])]);
        list = [...typeRules, ...fieldRules];
      }
      for (const iface of type.getInterfaces()) list.push(...interfaceRules(iface, fieldName));
      if (sources.policyCovers?.(`${type.name}::${fieldName}`)) list.push(named(policy()));
      const objectRule = rootTypes.has(type) ? null : sources.objectPolicy?.(type, fieldName);
      if (objectRule) list = list.map((n) => (usesPolicy(n.rule) ? { rule: bindPolicy(n.rule, objectRule), name: n.name } : n));
    }
    const result: FieldRules = Object.freeze({
      coordinate,
      pre: list.filter((r) => !needsResult(r.rule)),
      post: list.filter((r) => needsResult(r.rule)),
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
      const rules = key === "__authz" ? (value as { rules?: unknown })?.rules : (value as { __authz?: { rules?: unknown } })?.__authz?.rules;
      const where = key === "__authz" ? `authSchema.${typeName}.__authz` : `authSchema.${typeName}.${key}.__authz`;
      if (!Array.isArray(rules) || rules.some((r) => typeof r !== "string")) {
        throw new TypeError(`${where}: expected { rules: ["RuleName", ...] }.`);
      }
      for (const name of rules as string[]) out.push({ name, where });
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const name of typeDirectives(type).authz) out.push({ name, where: `@authz on ${type.name}` });
    for (const field of Object.values(type.getFields())) {
      for (const name of fieldDirectives(type.name, field).authz) out.push({ name, where: `@authz on ${type.name}.${field.name}` });
    }
  }
  return out;
}
