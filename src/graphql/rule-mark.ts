/**
 * The registry of values built by gatehouse's rule factories: a rule is
 * recognised by identity, never by shape, so a look-alike object cannot
 * pass for one.
 * @module
 */
import type { Rule } from "./types.js";

const RULES = new WeakSet<object>();

/**
 * Global brand, so a rule built by another copy of gatehouse in the same
 * process (sources and `dist`, or two installs) is still recognised. Its
 * value is the URL of the module that built the rule, which lets the CLI
 * name both copies. Non-enumerable, set only by the factories.
 */
const RULE_BRAND = Symbol.for("gatehouse.rule");

/** Registers, brands and freezes a rule built by a factory. @internal */
export function markRule<T extends Rule>(rule: T): T {
  RULES.add(rule);
  Object.defineProperty(rule, RULE_BRAND, { value: import.meta.url });
  return Object.freeze(rule);
}

/** True for values built by the rule factories of this module or of another copy of it. */
export function isRule(value: unknown): value is Rule {
  if (typeof value !== "object" || value === null) return false;
  return RULES.has(value) || typeof (value as { [RULE_BRAND]?: unknown })[RULE_BRAND] === "string";
}
