/**
 * The registry of values built by gatehouse's rule factories: a rule is
 * recognised by identity, never by shape, so a look-alike object cannot
 * pass for one.
 * @module
 */
import type { Rule } from "./types.js";

const RULES = new WeakSet<object>();

/** Registers and freezes a rule built by a factory. @internal */
export function markRule<T extends Rule>(rule: T): T {
  RULES.add(rule);
  return Object.freeze(rule);
}

/** True for values built by the rule factories. */
export function isRule(value: unknown): value is Rule {
  return typeof value === "object" && value !== null && RULES.has(value);
}
