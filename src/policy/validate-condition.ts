/**
 * Validation of one policy condition. Collects every problem instead of
 * stopping at the first, so a policy author can fix a file in one pass.
 * @module
 */
import type { PolicyIssue } from "../core/index.js";
import { CONTEXT_ROOTS, pathProblem } from "./context-path.js";
import { toNumber } from "./conditions.js";
import { POLICY_OPERATORS, type PolicyOperator } from "./types.js";

const CONDITION_KEYS: ReadonlySet<string> = new Set(["field", "operator", "expected", "expectedOnContext"]);
const OPERATORS: ReadonlySet<string> = new Set(POLICY_OPERATORS);

/** Short, printable form of a value for an issue message. @internal */
export function show(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? "undefined" : (JSON.stringify(value) ?? typeof value);
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A non-null, non-array object. @internal */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reports keys not in `allowed`. @internal */
export function unknownKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>, path: string, issues: PolicyIssue[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      issues.push({ path: path ? `${path}.${key}` : key, message: `unknown key '${key}'; allowed keys: ${[...allowed].join(", ")}` });
    }
  }
}

/** Why an expected value is unusable with this operator, or `null`. */
function expectedProblem(operator: PolicyOperator, value: unknown): string | null {
  switch (operator) {
    case "match":
    case "notMatch":
      return typeof value === "string" || (typeof value === "number" && Number.isFinite(value))
        ? null
        : `'${operator}' compares text: expected a string (\`*\` globs allowed) or a number, got ${show(value)}`;
    case "lessThan":
    case "greaterThan":
      return toNumber(value) !== undefined ? null : `'${operator}' is numeric: expected a number, got ${show(value)}`;
    case "exists":
      return typeof value === "boolean" ? null : `'exists' expects true or false, got ${show(value)}`;
    default:
      if (value === null) {
        return `'${operator}' never compares null (a null value cannot be evaluated, like a missing one); use 'exists' to test for null`;
      }
      return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))
        ? null
        : `'${operator}' compares scalars: expected a string, finite number or boolean, got ${show(value)}`;
  }
}

function validateExpected(operator: PolicyOperator, raw: unknown, path: string, issues: PolicyIssue[]): number {
  const values = Array.isArray(raw) ? raw : [raw];
  [...values].forEach((value, k) => {
    const problem = expectedProblem(operator, value);
    if (problem) issues.push({ path: Array.isArray(raw) ? `${path}[${k}]` : path, message: problem });
  });
  if (operator === "exists" && values.length > 1) {
    issues.push({ path, message: "'exists' takes a single true or false" });
  }
  return values.length;
}

/** Why a condition path is unusable: malformed, or not starting at a known context root. */
function conditionPathProblem(path: string): string | null {
  const problem = pathProblem(path);
  if (problem) return problem;
  const head = path.split(".")[0] as string;
  return CONTEXT_ROOTS.has(head)
    ? null
    : `'${path}' starts at '${head}'; a condition path starts at one of ${[...CONTEXT_ROOTS].join(", ")} (a typo would never match)`;
}

function validateContextPaths(raw: unknown, path: string, issues: PolicyIssue[]): number {
  if (!Array.isArray(raw)) {
    issues.push({ path, message: "must be an array of context paths, e.g. [\"user.id\"]" });
    return 0;
  }
  [...raw].forEach((p, k) => {
    if (typeof p !== "string") issues.push({ path: `${path}[${k}]`, message: `must be a dot path string, got ${show(p)}` });
    else {
      const problem = conditionPathProblem(p);
      if (problem) issues.push({ path: `${path}[${k}]`, message: problem });
    }
  });
  return raw.length;
}

/** Validates one condition at `path` (e.g. `policies[3].conditions[0]`). @internal */
export function validateCondition(condition: unknown, path: string, issues: PolicyIssue[]): void {
  if (!isRecord(condition)) {
    issues.push({ path, message: "must be an object { field, operator, expected?, expectedOnContext? }" });
    return;
  }
  unknownKeys(condition, CONDITION_KEYS, path, issues);
  const { field, operator } = condition;
  if (typeof field !== "string") {
    issues.push({ path: `${path}.field`, message: "must be a dot path into the context, e.g. 'user.id'" });
  } else {
    const problem = conditionPathProblem(field);
    if (problem) issues.push({ path: `${path}.field`, message: problem });
  }
  if (typeof operator !== "string" || !OPERATORS.has(operator)) {
    issues.push({ path: `${path}.operator`, message: `unknown operator ${show(operator)}; use one of: ${POLICY_OPERATORS.join(", ")}` });
    return;
  }
  const op = operator as PolicyOperator;
  let count = 0;
  if ("expected" in condition && condition.expected !== undefined) {
    count += validateExpected(op, condition.expected, `${path}.expected`, issues);
  }
  if ("expectedOnContext" in condition && condition.expectedOnContext !== undefined) {
    if (op === "exists") {
      issues.push({ path: `${path}.expectedOnContext`, message: "'exists' takes no expectedOnContext; use expected: true or false" });
    } else {
      count += validateContextPaths(condition.expectedOnContext, `${path}.expectedOnContext`, issues);
    }
  }
  if (count === 0 && op !== "exists") {
    issues.push({ path, message: `'${op}' needs at least one value in 'expected' or 'expectedOnContext'` });
  }
}
