/**
 * Detects a project whose rules were built by another copy of gatehouse than
 * the one running the CLI (sources through tsconfig `paths` next to `dist/`,
 * a linked package, two installs), and says why and what to do.
 * @module
 */
import { fileURLToPath } from "node:url";
import { relative } from "node:path";
import { allow } from "../graphql/index.js";

const RULE_BRAND = Symbol.for("gatehouse.rule");
const RULE_KINDS = new Set(["pre", "post", "and", "or", "not", "chain", "race", "const", "policy"]);

/** Where a rule was built: the URL of the rules module of its gatehouse copy, if it says. */
function brandOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const brand = (value as { [RULE_BRAND]?: unknown })[RULE_BRAND];
  return typeof brand === "string" ? brand : undefined;
}

/** True for an object shaped like a gatehouse rule that carries no brand (an older copy). */
function looksLikeUnbrandedRule(value: unknown): boolean {
  if (typeof value !== "object" || value === null || brandOf(value) !== undefined) return false;
  const { kind, name } = value as { kind?: unknown; name?: unknown };
  return typeof kind === "string" && RULE_KINDS.has(kind) && typeof name === "string";
}

function shown(url: string, cwd: string): string {
  if (!url.startsWith("file:")) return url;
  const path = fileURLToPath(url);
  const rel = relative(cwd, path);
  return rel.startsWith("..") ? path : rel;
}

/** What the CLI found about the copies of gatehouse behind a project's rules. */
export interface CopiesReport {
  /** The rules module of the CLI's own copy. */
  own: string;
  /** Other copies' rules modules the project's rules came from. */
  others: string[];
  /** Rule names that look like gatehouse rules but carry no brand (an older copy). */
  unbranded: string[];
}

/** @internal */
export function inspectCopies(rules: Record<string, unknown>): CopiesReport {
  const own = brandOf(allow) ?? "";
  const others = new Set<string>();
  const unbranded: string[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const brand = brandOf(rule);
    if (brand !== undefined && brand !== own) others.add(brand);
    else if (looksLikeUnbrandedRule(rule)) unbranded.push(name);
  }
  return { own, others: [...others], unbranded };
}

const CAUSE =
  "the project imports `gatehouse` from a different place than the CLI runs from " +
  "(tsconfig `paths` mapping it to sources, a linked package, or a second install)";

function fix(cwd: string, own: string): string {
  const ownPath = own.startsWith("file:") ? shown(own, cwd) : own;
  const fromSources = /(^|[\\/])src[\\/]graphql[\\/]rules\.[jt]s$/.test(ownPath);
  return fromSources
    ? "run the CLI of the copy the project imports, or make `gatehouse` resolve to this one."
    : "run the CLI of the copy the project imports (in the gatehouse repository: `npm run check`, which runs `node --import tsx src/cli/main.ts`), " +
        "or make `gatehouse` resolve to this copy (e.g. `TSX_TSCONFIG_PATH=<a tsconfig without gatehouse paths>`).";
}

/**
 * A note (printed, the command goes on) when the rules come from another
 * copy: they still work, but classes such as errors are not shared.
 * @internal
 */
export function copiesNote(report: CopiesReport, cwd: string): string | undefined {
  if (report.others.length === 0) return undefined;
  const others = report.others.map((u) => shown(u, cwd)).join(", ");
  return (
    `note: two copies of gatehouse are loaded: the CLI runs ${shown(report.own, cwd)}, the project's rules come from ${others}. ` +
    `Cause: ${CAUSE}. The rules are recognised across copies, but errors and other classes are not shared. ` +
    `Fix: ${fix(cwd, report.own)}\n`
  );
}

/**
 * The message for rules the CLI's copy cannot recognise because an older
 * copy built them, naming the cause and the fix.
 * @internal
 */
export function unbrandedMessage(report: CopiesReport, cwd: string): string | undefined {
  if (report.unbranded.length === 0) return undefined;
  return (
    `rules ${report.unbranded.join(", ")} were built by another copy of gatehouse than the CLI's (${shown(report.own, cwd)}). ` +
    `Cause: ${CAUSE}. Fix: ${fix(cwd, report.own)}`
  );
}
