/**
 * `fromShield`: a graphql-shield rule tree as gatehouse `rules` and
 * `authSchema`. Each shield rule becomes a rule judged inside the field's
 * resolver with the resolver's own `(parent, args, context, info)`, so it
 * sees the parent exactly as the parent resolver returned it.
 * @module
 */
import { markRule } from "../../rule-mark.js";
import { allow as gatehouseAllow, deny as gatehouseDeny } from "../../rules.js";
import type { AuthSchema, Rule, SourceRule } from "../../types.js";
import { isShieldRule, type ShieldRule } from "./constructors.js";
import { evaluateShield, outcomeOfResult, type Outcome } from "./evaluate-shield.js";
import { adoptShieldRule } from "./foreign.js";

/** A rule of this module, or one built by graphql-shield itself. */
export type ShieldRuleLike = ShieldRule | { resolve(...args: never[]): unknown };

/** A shield rule tree: one rule for everything, or rules per type, per field, with `"*"` for "every other field". */
export type ShieldRuleTree = ShieldRuleLike | Record<string, ShieldRuleLike | Record<string, ShieldRuleLike>>;

/** Options of {@link fromShield}. */
export interface FromShieldOptions {
  /**
   * Rule for fields the tree does not cover. graphql-shield defaults to
   * `allow`; gatehouse leaves such fields uncovered, hence denied.
   * @default none (uncovered fields are denied)
   */
  fallbackRule?: ShieldRule;
}

/** What {@link fromShield} returns: pass both to `createAuthz`. */
export interface FromShieldResult {
  readonly rules: Record<string, Rule>;
  readonly authSchema: AuthSchema;
}

function toResult(outcome: Outcome): boolean | Error {
  if (outcome === true) return true;
  // A thrown rule is rethrown so the denial stays generic and its message is never sent.
  if ("threw" in outcome) throw new Error("shield rule threw");
  // A message string is a denial message too (handled by the judge).
  return (outcome.denied as boolean | Error | undefined) ?? false;
}

const resultOf = (outcome: Outcome | Promise<Outcome>): boolean | Error | Promise<boolean | Error> =>
  outcome instanceof Promise ? outcome.then(toResult) : toResult(outcome);

function toSource(node: ShieldRule, name: string): SourceRule {
  return markRule<SourceRule>({
    kind: "source",
    name,
    judge:
      node.kind === "rule" && node.cache === "no_cache"
        ? // A plain rule that caches nothing, the usual field check: its body is called directly, once per row.
          // A throw propagates, which the caller takes as a denial, as it takes toResult's rethrow.
          (parent, args, context, info) => {
            const result = node.fn(parent, args, context, info);
            if (result === true) return true;
            return resultOf(outcomeOfResult(result));
          }
        : (parent, args, context, info, cache) => resultOf(evaluateShield(node, { parent, args, context, info, cache })),
  });
}

/**
 * Converts a shield rule tree, built with `gatehouse/graphql/shield` or with
 * graphql-shield itself (its rule objects are read by shape; `inputRule` is refused).
 * A type's rule (`{ User: isAuthenticated }`) applies to each of its
 * fields; `"*"` inside a type covers the fields it does not name.
 * @throws TypeError when the tree holds something other than shield rules, an `inputRule`, or two rules share a name.
 * @example
 * import { rule, and, allow } from "gatehouse/graphql/shield";
 * const isAuthenticated = rule()((_parent, _args, ctx) => ctx.user !== undefined);
 * const { rules, authSchema } = fromShield({ Query: { "*": allow, me: isAuthenticated } });
 * const authz = createAuthz({ schema, rules, authSchema });
 */
export function fromShield(tree: ShieldRuleTree, options: FromShieldOptions = {}): FromShieldResult {
  if (typeof options !== "object" || options === null) throw new TypeError("fromShield: options must be an object.");
  const rules: Record<string, Rule> = {};
  const names = new Map<ShieldRule, string>();
  // Rules from gatehouse/graphql/shield, or graphql-shield's own rule objects (read by shape).
  const asShield = (value: unknown, where: string): ShieldRule | null => (isShieldRule(value) ? value : adoptShieldRule(value, where));
  const nameOf = (value: unknown, where: string): string => {
    const node = asShield(value, where);
    if (!node) throw new TypeError(`fromShield: ${where} is not a rule (build it with rule(), and(), or(), ... from gatehouse/graphql/shield or graphql-shield).`);
    const known = names.get(node);
    if (known) return known;
    let name: string;
    if (node.kind === "allow" || node.kind === "deny") {
      name = `shield:${node.kind}`;
      rules[name] = node.kind === "allow" ? gatehouseAllow : gatehouseDeny;
    } else {
      name = node.kind === "rule" && node.name !== undefined ? node.name : `shield:${where}`;
      if (rules[name]) throw new TypeError(`fromShield: two different rules are named "${name}"; give each rule its own name.`);
      rules[name] = toSource(node, name);
    }
    names.set(node, name);
    return name;
  };
  const entry = (name: string) => ({ __authz: { rules: [name] } });

  const authSchema: Record<string, Record<string, { __authz: { rules: string[] } }>> = {};
  if (asShield(tree, "the rule tree")) {
    authSchema["*"] = { "*": entry(nameOf(tree, "*")) };
  } else {
    if (typeof tree !== "object" || tree === null) throw new TypeError("fromShield: the rule tree must be a rule or an object of types.");
    for (const [typeName, value] of Object.entries(tree)) {
      if (asShield(value, typeName)) {
        authSchema[typeName] = { "*": entry(nameOf(value, `${typeName}.*`)) };
        continue;
      }
      if (typeof value !== "object" || value === null) throw new TypeError(`fromShield: ${typeName} must be a rule or an object of field rules.`);
      const fields: Record<string, { __authz: { rules: string[] } }> = {};
      for (const [fieldName, node] of Object.entries(value)) fields[fieldName] = entry(nameOf(node, `${typeName}.${fieldName}`));
      authSchema[typeName] = fields;
    }
  }
  if (options.fallbackRule !== undefined) {
    const star = (authSchema["*"] ??= {});
    star["*"] ??= entry(nameOf(options.fallbackRule, "fallbackRule"));
  }
  return { rules, authSchema: authSchema as AuthSchema };
}
