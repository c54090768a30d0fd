/**
 * Rule objects built by graphql-shield itself (`import { rule } from
 * "graphql-shield"`), read by shape into this module's descriptions, so a
 * rule tree can be handed to `fromShield` without touching its imports.
 * Only the parts graphql-shield documents are read: a rule's `name`,
 * `cache` and body (`func`), a logic rule's `rules`, and `not`'s `error`.
 * @module
 */
import { allow, and, chain, deny, not, or, race, rule, type ShieldRule } from "./constructors.js";

type Foreign = { readonly constructor?: { readonly name?: string } } & Record<string, unknown>;

const adopted = new WeakMap<object, ShieldRule>();

/** A graphql-shield rule object as a shield-shaped rule of this module; `null` when `value` is not one. @internal */
export function adoptShieldRule(value: unknown, where: string): ShieldRule | null {
  if (typeof value !== "object" || value === null || typeof (value as { resolve?: unknown }).resolve !== "function") return null;
  const hit = adopted.get(value);
  if (hit) return hit;
  const node = value as Foreign;
  const kind = node.constructor?.name;
  const members = (): ShieldRule[] => {
    const list = node.rules;
    if (!Array.isArray(list) || list.length === 0) throw new TypeError(`fromShield: ${where} is a graphql-shield logic rule without rules.`);
    return list.map((r, i) => {
      const inner = adoptShieldRule(r, `${where}[${i}]`);
      if (!inner) throw new TypeError(`fromShield: ${where}[${i}] is not a graphql-shield rule.`);
      return inner;
    });
  };
  let out: ShieldRule;
  switch (kind) {
    case "InputRule":
      throw new TypeError(`fromShield: ${where} is an inputRule; validate input in the resolver or a validation layer instead.`);
    case "RuleAnd":
      out = and(...members());
      break;
    case "RuleOr":
      out = or(...members());
      break;
    case "RuleChain":
      out = chain(...members());
      break;
    case "RuleRace":
      out = race(...members());
      break;
    case "RuleNot": {
      const error = node.error;
      out = not(members()[0]!, typeof error === "string" || error instanceof Error ? error : undefined);
      break;
    }
    case "RuleTrue":
      out = allow;
      break;
    case "RuleFalse":
      out = deny;
      break;
    default: {
      if (typeof node.func !== "function") return null;
      const cache = node.cache === "strict" || node.cache === "contextual" || node.cache === "no_cache" ? node.cache : "contextual";
      out = rule(typeof node.name === "string" ? node.name : undefined, { cache })(node.func as never);
    }
  }
  adopted.set(value, out);
  return out;
}
