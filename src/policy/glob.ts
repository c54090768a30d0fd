/**
 * `*` globs for actions, resources, roles and `match` conditions.
 * Only `*` is special (any run of characters, also empty); every other
 * character is literal, so there is no regex to escape and nothing is
 * compiled at evaluation time.
 * @module
 */

/** A compiled glob. @internal */
export type GlobMatcher = (value: string) => boolean;

const ALWAYS: GlobMatcher = () => true;

/** Does the pattern contain a `*`? @internal */
export function isGlob(pattern: string): boolean {
  return pattern.includes("*");
}

/**
 * Compiles a glob once into the cheapest matcher for its shape:
 * equality, prefix, suffix, or an ordered scan of the literal pieces.
 * @internal
 */
export function compileGlob(pattern: string): GlobMatcher {
  if (!pattern.includes("*")) return (value) => value === pattern;
  const pieces = pattern.split("*");
  if (pieces.every((p) => p === "")) return ALWAYS;
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  if (pieces.length === 2) {
    if (last === "") return (value) => value.startsWith(first);
    if (first === "") return (value) => value.endsWith(last);
  }
  const middle = pieces.slice(1, -1).filter((p) => p !== "");
  const minLength = first.length + last.length;
  return (value) => {
    if (value.length < minLength || !value.startsWith(first) || !value.endsWith(last)) return false;
    // Leftmost match of each middle piece is optimal for `*`-only globs.
    let at = first.length;
    const end = value.length - last.length;
    for (const piece of middle) {
      const found = value.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

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
