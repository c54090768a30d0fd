/**
 * What `check` compares: the schema's field coordinates, and every rule name
 * used in the auth schema or in `@authz` directives, with where it is used.
 * @module
 */
import { isInterfaceType, isIntrospectionType, isObjectType } from "graphql";
import type { GraphQLSchema } from "graphql";
import { authzRuleNames } from "./directives.js";

/** One use of a rule name. */
export interface RuleUsage {
  rule: string;
  /** `Type`, `Type.field`, or a wildcard such as `*.*`. */
  at: string;
  /** `authSchema` or `@authz`. */
  source: "authSchema" | "@authz";
}

/** Every `Type.field` of object and interface types, introspection excluded, sorted. @internal */
export function fieldCoordinates(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.keys(type.getFields())) out.push(`${type.name}.${field}`);
  }
  return out.sort();
}

/** Every string inside a `compositeRules` / `deepCompositeRules` value: each one is a rule name. */
function leafNames(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(leafNames);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(leafNames);
  return [];
}

/** Names in `{ __authz: { rules, compositeRules, deepCompositeRules } }` or, on fields, the short `{ rules }`. */
function rulesOf(node: unknown, allowShort: boolean): string[] {
  if (typeof node !== "object" || node === null) return [];
  const entry = node as { __authz?: { rules?: unknown; compositeRules?: unknown; deepCompositeRules?: unknown }; rules?: unknown };
  const rules = entry.__authz?.rules ?? (allowShort ? entry.rules : undefined);
  const named = Array.isArray(rules) ? rules.filter((r): r is string => typeof r === "string") : [];
  return [...named, ...leafNames(entry.__authz?.compositeRules), ...leafNames(entry.__authz?.deepCompositeRules)];
}

/** Rule names used by an auth schema `{ Type: { __authz, field: { __authz } } }`. @internal */
export function authSchemaUsages(authSchema: Record<string, unknown> | undefined): RuleUsage[] {
  const out: RuleUsage[] = [];
  for (const [typeName, typeNode] of Object.entries(authSchema ?? {})) {
    if (typeof typeNode !== "object" || typeNode === null) continue;
    for (const rule of rulesOf(typeNode, false)) out.push({ rule, at: typeName, source: "authSchema" });
    for (const [fieldName, fieldNode] of Object.entries(typeNode)) {
      if (fieldName === "__authz") continue;
      for (const rule of rulesOf(fieldNode, true)) out.push({ rule, at: `${typeName}.${fieldName}`, source: "authSchema" });
    }
  }
  return out;
}

/** Rule names used by `@authz` on types and fields (extensions included). @internal */
export function directiveUsages(schema: GraphQLSchema): RuleUsage[] {
  const out: RuleUsage[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const node of [type.astNode, ...type.extensionASTNodes]) {
      for (const rule of authzRuleNames(node?.directives)) out.push({ rule, at: type.name, source: "@authz" });
    }
    for (const field of Object.values(type.getFields())) {
      for (const rule of authzRuleNames(field.astNode?.directives)) out.push({ rule, at: `${type.name}.${field.name}`, source: "@authz" });
    }
  }
  return out;
}

/** Usages whose rule is not in `defined`, grouped by rule name in first-use order. @internal */
export function undefinedRules(usages: readonly RuleUsage[], defined: ReadonlySet<string>): Map<string, RuleUsage[]> {
  const missing = new Map<string, RuleUsage[]>();
  for (const u of usages) {
    if (defined.has(u.rule)) continue;
    missing.set(u.rule, [...(missing.get(u.rule) ?? []), u]);
  }
  return missing;
}
