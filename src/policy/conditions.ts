/**
 * Compiles and evaluates policy conditions. Everything that can be decided
 * at load (globs, numbers, paths) is prepared once; evaluation only reads
 * the context and compares.
 *
 * Semantics (docs/policy.md has the full table):
 * - A condition whose inputs are missing (`undefined`) or of the wrong type
 *   for its operator **cannot be evaluated**: it is neither true nor false.
 *   The policy decides what that means (an allow does not match, a deny
 *   does), so missing data never weakens a deny. `exists` always evaluates.
 * - A condition that reads `root.*` while the context has no `root` at all
 *   is **pending**: its answer depends on an object that is not there yet.
 * - `match`/`notMatch` need text (string, finite number, boolean);
 *   `equals`/`notEquals` a string, finite number or boolean (`null` counts as
 *   missing, as in SQL and row filters); `in`/`notIn` such a value or an
 *   array field (any / no element); `lessThan`/`greaterThan` a number or a
 *   numeric string. `equals` is strict (`1` is not `"1"`).
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
  /** The field or an `expectedOnContext` path starts at `root` (the object). */
  readonly readsRoot: boolean;
  /** Whether a value read from the context has a type this operator can compare. */
  readonly accepts: (value: unknown) => boolean;
  /** Whether an `expectedOnContext` value has a type this operator can compare. */
  readonly acceptsContext: (value: unknown) => boolean;
}

/** Outcome of one condition. @internal */
export const HOLDS = 0;
/** The condition was evaluated and is false. @internal */
export const FAILS = 1;
/** An input is missing or of the wrong type: neither true nor false. @internal */
export const UNKNOWN = 2;
/** Reads `root.*` and the context has no object: decided per object later. @internal */
export const PENDING = 3;
/** One of {@link HOLDS}, {@link FAILS}, {@link UNKNOWN}, {@link PENDING}. @internal */
export type ConditionState = typeof HOLDS | typeof FAILS | typeof UNKNOWN | typeof PENDING;

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

/** A string, number or boolean as text for `match`; anything else is not comparable. @internal */
export function toText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") return String(value);
  return undefined;
}

/**
 * A string, finite number or boolean: what `equals`, `notEquals`, `in` and
 * `notIn` compare. `null` is not one: like a missing value it cannot be
 * evaluated (two-valued logic, the same as row filters and SQL).
 * @internal
 */
export function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

const isText = (value: unknown): boolean => toText(value) !== undefined;
const isNumeric = (value: unknown): boolean => toNumber(value) !== undefined;
const isScalarOrArray = (value: unknown): boolean => isScalar(value) || Array.isArray(value);
const isDefined = (value: unknown): boolean => value !== undefined;

/** What the field of each operator may hold. */
function fieldAccepts(operator: PolicyOperator): (value: unknown) => boolean {
  switch (operator) {
    case "match":
    case "notMatch":
      return isText;
    case "lessThan":
    case "greaterThan":
      return isNumeric;
    case "in":
    case "notIn":
      return isScalarOrArray;
    case "exists":
      return isDefined;
    default:
      return isScalar;
  }
}

/** What an `expectedOnContext` value of each operator may hold (never an array). @internal */
export function contextAccepts(operator: PolicyOperator): (value: unknown) => boolean {
  if (operator === "match" || operator === "notMatch") return isText;
  if (operator === "lessThan" || operator === "greaterThan") return isNumeric;
  return isScalar;
}

/** Does the dot path start at the object (`root`)? @internal */
export const isRootPath = (path: string): boolean => path === "root" || path.startsWith("root.");

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
    readsRoot: isRootPath(condition.field) || names.some(isRootPath),
    accepts: fieldAccepts(condition.operator),
    acceptsContext: contextAccepts(condition.operator),
  });
}

/** The context has no object: `root` is absent (not merely null). @internal */
export function hasNoObject(context: unknown): boolean {
  return context === null || typeof context !== "object" || (context as { root?: unknown }).root === undefined;
}

/**
 * The first input that keeps the condition from being evaluated, or `null`.
 * `kind` says whether it is missing or of the wrong type. With `skipRoot`,
 * inputs under `root` are not looked at (there is no object yet).
 * @internal
 */
export function unusableInput(
  c: CompiledCondition,
  context: unknown,
  skipRoot: boolean,
): { path: string; kind: "missing" | "wrong type" } | null {
  if (c.operator === "exists") return null;
  if (!(skipRoot && isRootPath(c.field))) {
    const value = resolvePath(context, c.path);
    if (value === undefined) return { path: c.field, kind: "missing" };
    if (!c.accepts(value)) return { path: c.field, kind: "wrong type" };
  }
  const accepts = c.acceptsContext;
  for (let i = 0; i < c.contextPaths.length; i++) {
    const name = c.contextNames[i] as string;
    if (skipRoot && isRootPath(name)) continue;
    const value = resolvePath(context, c.contextPaths[i] as readonly string[]);
    if (value === undefined) return { path: name, kind: "missing" };
    if (!accepts(value)) return { path: name, kind: "wrong type" };
  }
  return null;
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

function anyOrder(c: CompiledCondition, n: number, fromContext: readonly unknown[], less: boolean): boolean {
  for (const e of c.numbers) if (less ? n < e : n > e) return true;
  for (const v of fromContext) {
    const e = toNumber(v) as number;
    if (less ? n < e : n > e) return true;
  }
  return false;
}

function anyIn(value: unknown, c: CompiledCondition, fromContext: readonly unknown[]): boolean {
  if (!Array.isArray(value)) return anyEqual(value, c, fromContext);
  for (const v of value) if (anyEqual(v, c, fromContext)) return true;
  return false;
}

const NO_VALUES: readonly unknown[] = Object.freeze([]);

/** Compares a usable field value with the expected values (all inputs already checked). */
function compare(c: CompiledCondition, value: unknown, fromContext: readonly unknown[]): boolean {
  switch (c.operator) {
    case "match":
    case "notMatch":
      return anyMatch(c, toText(value) as string, fromContext) === (c.operator === "match");
    case "equals":
      return anyEqual(value, c, fromContext);
    case "notEquals":
      return !anyEqual(value, c, fromContext);
    case "in":
      return anyIn(value, c, fromContext);
    case "notIn":
      return !anyIn(value, c, fromContext);
    case "lessThan":
    case "greaterThan":
      return anyOrder(c, toNumber(value) as number, fromContext, c.operator === "lessThan");
    case "exists":
      return (value !== undefined && value !== null) === c.wantPresent;
  }
}

/**
 * The state of a condition for this context. May throw if the context does
 * (callers deny).
 * @internal
 */
export function conditionState(c: CompiledCondition, context: unknown): ConditionState {
  if (c.readsRoot && hasNoObject(context)) {
    // Inputs outside the object may already make the answer unknown for every object.
    return unusableInput(c, context, true) === null ? PENDING : UNKNOWN;
  }
  const value = resolvePath(context, c.path);
  if (c.operator === "exists") return compare(c, value, NO_VALUES) ? HOLDS : FAILS;
  if (value === undefined || !c.accepts(value)) return UNKNOWN;
  let fromContext = NO_VALUES;
  if (c.contextPaths.length > 0) {
    const accepts = c.acceptsContext;
    const values: unknown[] = [];
    for (const path of c.contextPaths) {
      const v = resolvePath(context, path);
      if (v === undefined || !accepts(v)) return UNKNOWN;
      values.push(v);
    }
    fromContext = values;
  }
  return compare(c, value, fromContext) ? HOLDS : FAILS;
}

/**
 * Does the condition hold for this context? `true` only when it was
 * evaluated and is true (unknown and pending are `false`).
 * @internal
 */
export function conditionHolds(c: CompiledCondition, context: unknown): boolean {
  return conditionState(c, context) === HOLDS;
}
