/**
 * `*` globs, shared by the policy engine (actions, resources, roles, `match`
 * conditions) and row filters (`match`), so both always agree on what a
 * pattern matches. Only `*` is special (any run of characters, also empty);
 * every other character is literal, so there is no regex to escape and
 * nothing is compiled at evaluation time.
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
