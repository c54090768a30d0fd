/**
 * The one spelling of a username used for lookups and rate-limit keys, so
 * that every spelling the store would accept as one user is also one limiter
 * bucket (and no other spelling is).
 *
 * Steps, in order:
 * 1. NFKC: compatibility forms become their plain letters (fullwidth `ｊｏｅ`
 *    → `joe`, `ﬁ` → `fi`, Kelvin sign → `K`).
 * 2. Turkic i: `İ` (U+0130) and `ı` (U+0131) become `i`. Default lower-casing
 *    turns `İ` into `i` + U+0307 and keeps `ı`, yet databases lower-casing
 *    with a C library map `İ` to `i`; one explicit rule ends the disagreement.
 * 3. Case folding: `toLowerCase()`, `toUpperCase()`, `toLowerCase()`, which
 *    also folds the letters plain lower-casing misses (`ß` → `ss`, final `ς` →
 *    `σ`, `ſ` → `s`); lowering first makes capital `ẞ` fold like `ß`, so the
 *    result is the same however often it is applied.
 * 4. NFKC again (case mapping can leave a non-normalised sequence), then trim
 *    leading and trailing white space.
 *
 * ASCII names are simply trimmed and lower-cased. The store accepts only
 * ASCII usernames (letters, digits, `.` `_` `@` `+` `-`), so a name that is
 * still non-ASCII after these steps (Greek `ο` for `o`, a zero-width space)
 * matches nobody: a look-alike is never a second key for a real user.
 * @example
 * normalizeUsername(" ADM\u0130N ") // "admin"
 * normalizeUsername("ｊｏｅ")        // "joe"
 */
export function normalizeUsername(name: string): string {
  if (typeof name !== "string") throw new TypeError("normalizeUsername: `name` must be a string.");
  return name
    .normalize("NFKC")
    .replace(/[\u0130\u0131]/g, "i")
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
    .normalize("NFKC")
    .trim();
}
