/**
 * Dot paths into the evaluation context (`user.id`, `args.input.ownerId`).
 * Paths are split once at compile time; segments that could reach an
 * object's prototype never resolve, so a policy or a crafted request can
 * not read (or be tricked by) `Object.prototype`.
 * @module
 */
import { readMember } from "../core/read-member.js";

/** Segments that never resolve: they would walk into prototypes. @internal */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Where a condition path may start: the parts of the evaluation context. @internal */
export const CONTEXT_ROOTS: ReadonlySet<string> = new Set(["user", "identity", "request", "args", "root"]);

/** What is wrong with a path, or `null` when it is well-formed. @internal */
export function pathProblem(path: string): string | null {
  if (path.length === 0) return "must be a non-empty dot path such as 'user.id'";
  const segments = path.split(".");
  if (segments.some((s) => s === "")) return `'${path}' has an empty segment; use a dot path such as 'user.id'`;
  const bad = segments.find((s) => FORBIDDEN_SEGMENTS.has(s));
  if (bad !== undefined) return `'${path}' uses the forbidden segment '${bad}'`;
  return null;
}

/**
 * Splits a path once, for {@link resolvePath}. Forbidden segments are
 * rejected here (validation already reports them), so the hot path need not
 * check them again.
 * @throws TypeError when the path is malformed or reaches a prototype.
 * @internal
 */
export function splitPath(path: string): readonly string[] {
  const problem = pathProblem(path);
  if (problem) throw new TypeError(`Invalid context path: ${problem}.`);
  return Object.freeze(path.split("."));
}

/**
 * Reads a path split by {@link splitPath} from the context. Returns
 * `undefined` when any step is missing or is not an object; inherited
 * members of built-in prototypes are never read. Arrays are objects, so
 * `user.roles.0` works.
 * @internal
 */
export function resolvePath(context: unknown, segments: readonly string[]): unknown {
  let value: unknown = context;
  for (let i = 0; i < segments.length; i++) {
    if (value === null || typeof value !== "object") return undefined;
    value = readMember(value, segments[i] as string);
  }
  return value;
}
