/**
 * GraphQL AuthZ's rule configuration, as found in `authSchema` entries and
 * `@authz(...)` arguments: `rules` (all must allow), `compositeRules` (one
 * level of `and` / `or` / `not` over rule names) and `deepCompositeRules`
 * (any depth, rule names given as `{ id: "Name" }`). Everything listed in
 * one entry must allow.
 * @module
 */
import type { NamedRule } from "../field-rules.js";
import type { Rule } from "../types.js";
import { compose } from "./rule-like.js";

/** One item of `compositeRules`: each key present adds one composite; all of them must allow. */
export interface CompositeRulesItem {
  and?: readonly string[];
  or?: readonly string[];
  /** Allows only when every rule named denies. */
  not?: string | readonly string[];
}

/** One item of `deepCompositeRules`: `id` names a rule; `and` / `or` / `not` nest further. */
export interface DeepCompositeRulesItem {
  id?: string;
  and?: readonly DeepCompositeRulesItem[];
  or?: readonly DeepCompositeRulesItem[];
  not?: DeepCompositeRulesItem | readonly DeepCompositeRulesItem[];
}

/** The `__authz` value of an authSchema entry, or the arguments of `@authz`. */
export interface AuthzConfig {
  rules?: readonly string[];
  compositeRules?: readonly CompositeRulesItem[];
  deepCompositeRules?: readonly DeepCompositeRulesItem[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function names(value: unknown, where: string): string[] {
  const out = list(value);
  if (out.length === 0 || out.some((n) => typeof n !== "string")) throw new TypeError(`${where}: expected rule names, e.g. ["IsAdmin"].`);
  return out as string[];
}

function checkKeys(item: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const keys = Object.keys(item);
  if (keys.length === 0 || keys.some((k) => !allowed.includes(k))) throw new TypeError(`${where}: expected an object with ${allowed.join(" / ")}.`);
}

/** Every rule name a config mentions, checking its shape. @internal */
export function configRuleNames(config: unknown, where: string): string[] {
  if (!isObject(config)) throw new TypeError(`${where}: expected { rules: ["RuleName", ...] }.`);
  checkKeys(config, ["rules", "compositeRules", "deepCompositeRules"], where);
  const out: string[] = [];
  if (config.rules !== undefined) {
    if (!Array.isArray(config.rules) || config.rules.some((r) => typeof r !== "string")) throw new TypeError(`${where}: expected { rules: ["RuleName", ...] }.`);
    out.push(...(config.rules as string[]));
  }
  if (config.compositeRules !== undefined) {
    for (const item of list(config.compositeRules)) {
      if (!isObject(item)) throw new TypeError(`${where}.compositeRules: expected items like { or: ["A", "B"] }.`);
      checkKeys(item, ["and", "or", "not"], `${where}.compositeRules`);
      for (const key of ["and", "or", "not"] as const) if (item[key] !== undefined) out.push(...names(item[key], `${where}.compositeRules.${key}`));
    }
  }
  if (config.deepCompositeRules !== undefined) {
    const deep = (item: unknown, at: string): void => {
      if (!isObject(item)) throw new TypeError(`${at}: expected items like { id: "A" } or { or: [{ id: "A" }, { id: "B" }] }.`);
      checkKeys(item, ["id", "and", "or", "not"], at);
      if (item.id !== undefined) out.push(...names(item.id, `${at}.id`));
      for (const key of ["and", "or", "not"] as const) {
        if (item[key] === undefined) continue;
        const members = list(item[key]);
        if (members.length === 0) throw new TypeError(`${at}.${key}: give at least one item.`);
        members.forEach((m) => deep(m, `${at}.${key}`));
      }
    };
    list(config.deepCompositeRules).forEach((item) => deep(item, `${where}.deepCompositeRules`));
  }
  return out;
}

/** True when a config attaches at least one rule. @internal */
export function configIsEmpty(config: AuthzConfig | undefined): boolean {
  return !config || ((config.rules?.length ?? 0) === 0 && (config.compositeRules?.length ?? 0) === 0 && (config.deepCompositeRules?.length ?? 0) === 0);
}

/** The rules of a config, in order: named rules, then composites. Names were checked by {@link configRuleNames}. @internal */
export function configRules(config: AuthzConfig | undefined, lookup: (name: string) => Rule): NamedRule[] {
  if (!config) return [];
  const out: NamedRule[] = (config.rules ?? []).map((name) => ({ rule: lookup(name), name }));
  const leaf = (name: string): Part => ({ rule: lookup(name), label: name });
  for (const item of config.compositeRules ?? []) {
    for (const kind of ["and", "or", "not"] as const) {
      if (item[kind] !== undefined) out.push(named(combine(kind, (list(item[kind]) as string[]).map(leaf))));
    }
  }
  for (const item of config.deepCompositeRules ?? []) out.push(named(all(deepParts(item, leaf))));
  return out;
}

interface Part {
  readonly rule: Rule;
  /** How audit events name it, e.g. `or(IsAdmin,IsOwner)`. */
  readonly label: string;
}

const named = (p: Part): NamedRule => ({ rule: p.rule, name: p.label });

function combine(kind: "and" | "or" | "not", parts: readonly Part[]): Part {
  const label = `${kind}(${parts.map((p) => p.label).join(",")})`;
  return { rule: compose(kind, parts.map((p) => p.rule), label), label };
}

const all = (parts: readonly Part[]): Part => (parts.length === 1 ? parts[0]! : combine("and", parts));

/** The parts one deep item stands for: one per key present (an item with several keys means all of them). */
function deepParts(item: DeepCompositeRulesItem, leaf: (name: string) => Part): Part[] {
  const parts: Part[] = [];
  if (item.id !== undefined) parts.push(leaf(item.id));
  for (const kind of ["and", "or", "not"] as const) {
    const members = item[kind];
    if (members === undefined) continue;
    parts.push(combine(kind, list(members).map((m) => all(deepParts(m as DeepCompositeRulesItem, leaf)))));
  }
  return parts;
}
