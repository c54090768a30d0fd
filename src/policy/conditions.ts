/**
 * Compiles and evaluates policy conditions. Everything that can be decided
 * at load (globs, numbers, paths) is prepared once; evaluation only reads
 * the context and compares.
 *
 * Semantics (docs/policy.md has the full table):
 * - A missing field (`undefined`) never satisfies a condition, except
 *   `exists` with `expected: [false]`. The same holds when any
 *   `expectedOnContext` path is missing.
 * - `match`/`notMatch`, `equals`/`notEquals`, `lessThan`/`greaterThan` need a
 *   scalar; `in`/`notIn` also accept an array field (any / no element).
 * - `equals` is strict (`1` is not `"1"`); `match` compares strings, so a
 *   number field matches its decimal text; `lessThan`/`greaterThan` accept
 *   numbers and numeric strings and are strict (`<`, `>`).
 * @module
 */
import { compileGlob, type GlobMatcher } from "./glob.js";
import { resolvePath, splitPath } from "./context-path.js";
import type { NormalizedCondition, PolicyOperator } from "./types.js";

/** A condition ready to evaluate. @internal */
export interface CompiledCondition {
  readonly field: string;
  readonly operator: PolicyOperator;
  readonly path: readonly string[];
  /** Literal expected values from the policy. */
  readonly expected: readonly unknown[];
  /** `match`/`notMatch`: compiled globs of `expected`. */
  readonly globs: readonly GlobMatcher[];
  /** `lessThan`/`greaterThan`: `expected` as numbers. */
  readonly numbers: readonly number[];
  readonly contextPaths: readonly (readonly string[])[];
  readonly contextNames: readonly string[];
  /** `exists`: whether the field should be present. */
  readonly wantPresent: boolean;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number from a number or a numeric string, else `undefined`. @internal */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && NUMERIC.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A string, number or boolean as text for `match`; anything else is not comparable. */
function toText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") return String(value);
  return undefined;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** Compiles one validated condition. @internal */
export function compileCondition(condition: NormalizedCondition): CompiledCondition {
  const expected = Object.freeze([...(condition.expected ?? [])]);
  const isMatch = condition.operator === "match" || condition.operator === "notMatch";
  const isOrder = condition.operator === "lessThan" || condition.operator === "greaterThan";
  const names = condition.expectedOnContext ?? [];
  return Object.freeze({
    field: condition.field,
    operator: condition.operator,
    path: splitPath(condition.field),
    expected,
    globs: Object.freeze(isMatch ? expected.map((e) => compileGlob(String(e))) : []),
    numbers: Object.freeze(isOrder ? expected.map((e) => toNumber(e) as number) : []),
    contextPaths: Object.freeze(names.map(splitPath)),
    contextNames: Object.freeze([...names]),
    wantPresent: condition.operator === "exists" ? expected[0] !== false : true,
  });
}

/**
 * Reads the `expectedOnContext` values; `undefined` when one is missing
 * (then the condition does not hold).
 */
function contextValues(c: CompiledCondition, context: unknown): unknown[] | undefined {
  const out: unknown[] = [];
  for (const path of c.contextPaths) {
    const v = resolvePath(context, path);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

function anyMatch(c: CompiledCondition, text: string, fromContext: readonly unknown[]): boolean {
  for (const glob of c.globs) if (glob(text)) return true;
  // Context values compare literally: a request-supplied "*" is not a glob.
  for (const v of fromContext) if (toText(v) === text) return true;
  return false;
}

function anyEqual(value: unknown, c: CompiledCondition, fromContext: readonly unknown[]): boolean {
  if (!isScalar(value)) return false;
  return c.expected.includes(value) || fromContext.includes(value);
}

function inOrder(n: number, e: number | undefined, less: boolean): boolean {
  return e !== undefined && (less ? n < e : n > e);
}

function anyOrder(c: CompiledCondition, n: number, fromContext: readonly unknown[], less: boolean): boolean {
  for (const e of c.numbers) if (inOrder(n, e, less)) return true;
  for (const v of fromContext) if (inOrder(n, toNumber(v), less)) return true;
  return false;
}

function anyIn(value: unknown, c: CompiledCondition, fromContext: readonly unknown[]): boolean {
  if (!Array.isArray(value)) return anyEqual(value, c, fromContext);
  for (const v of value) if (anyEqual(v, c, fromContext)) return true;
  return false;
}

const NO_VALUES: readonly unknown[] = Object.freeze([]);

/** Does the condition hold for this context? May throw if the context does (callers deny). @internal */
export function conditionHolds(c: CompiledCondition, context: unknown): boolean {
  const value = resolvePath(context, c.path);
  if (c.operator === "exists") return (value !== undefined && value !== null) === c.wantPresent;
  if (value === undefined) return false;
  const fromContext = c.contextPaths.length === 0 ? NO_VALUES : contextValues(c, context);
  if (fromContext === undefined) return false;
  switch (c.operator) {
    case "match":
    case "notMatch": {
      const text = toText(value);
      if (text === undefined) return false;
      return anyMatch(c, text, fromContext) === (c.operator === "match");
    }
    case "equals":
      return anyEqual(value, c, fromContext);
    case "notEquals":
      return isScalar(value) && !anyEqual(value, c, fromContext);
    case "in":
      return anyIn(value, c, fromContext);
    case "notIn":
      return (isScalar(value) || Array.isArray(value)) && !anyIn(value, c, fromContext);
    case "lessThan":
    case "greaterThan": {
      const n = toNumber(value);
      return n !== undefined && anyOrder(c, n, fromContext, c.operator === "lessThan");
    }
  }
}
