/**
 * Which arguments a rule function can see. A post rule that cannot see
 * `info` shares one across rows; one that can must get each row's own,
 * since it may decide by it.
 * @module
 */

/**
 * May `fn` read its argument at `index`? `fn.length` stops counting at the
 * first default or rest parameter, and `arguments` reads past it, so only a
 * plain parameter list too short to reach `index` says no. Source text that
 * cannot be read (native or bound functions) says yes. @internal
 */
export function mayReadArgument(fn: (...args: never[]) => unknown, index: number): boolean {
  if (fn.length > index) return true;
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return true;
  }
  if (source.includes("[native code]") || /\barguments\b/.test(source)) return true;
  const params = parameterText(source);
  return params === null || params.includes("=") || params.includes("...");
}

/** The text of a function's parameter list, or `null` when it cannot be found. */
function parameterText(source: string): string | null {
  const single = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (single) return single[1]!;
  const open = source.indexOf("(");
  if (open < 0) return null;
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return source.slice(open + 1, i);
    }
  }
  return null;
}
