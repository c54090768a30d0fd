/**
 * Resource patterns (`"Type::field"`) over the shared `*` glob of
 * `src/core/glob.ts`.
 * @module
 */

import { compileGlob } from "../core/glob.js";

export { compileGlob, isGlob, type GlobMatcher } from "../core/glob.js";

/** Splits `"Type::field"` into its two parts, or `null` when malformed. @internal */
export function splitResource(resource: string): [type: string, field: string] | null {
  const at = resource.indexOf("::");
  if (at <= 0 || at + 2 >= resource.length) return null;
  if (resource.indexOf("::", at + 2) >= 0) return null;
  const type = resource.slice(0, at);
  const field = resource.slice(at + 2);
  // ":::" would hide a third colon in one part; both parts must be clean.
  if (type.endsWith(":") || field.startsWith(":")) return null;
  return [type, field];
}

/** A resource pattern as `[type, field]`; `"*"` alone (wahn) is every resource. @internal */
export function splitPattern(pattern: string): [type: string, field: string] | null {
  return pattern === "*" ? ["*", "*"] : splitResource(pattern);
}

/**
 * Does a resource pattern (`"Type::field"`, `*` globs in either part) cover a
 * resource? The two parts are matched separately, so a `*` never spans the
 * `::`; the pattern `"*"` alone covers every resource. Malformed patterns or
 * resources never match.
 *
 * @example
 * resourceMatches("User::*", "User::email");     // true
 * resourceMatches("*::password", "User::password"); // true
 * resourceMatches("Post::title*", "Post::body");  // false
 * resourceMatches("*", "Post::body");             // true
 */
export function resourceMatches(pattern: string, resource: string): boolean {
  if (typeof pattern !== "string" || typeof resource !== "string") return false;
  const p = splitPattern(pattern);
  const r = splitResource(resource);
  if (!p || !r) return false;
  return compileGlob(p[0])(r[0]) && compileGlob(p[1])(r[1]);
}
