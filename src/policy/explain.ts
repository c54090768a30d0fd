/**
 * `explain()`: judges every policy in file order and says why each did or
 * did not match. Slower than `evaluate` by design (no index, strings built
 * per policy); meant for debugging, tests and the CLI.
 * @module
 */
import { resolvePath, splitPath } from "./context-path.js";
import { FAILS, PENDING, UNKNOWN, conditionState, hasNoObject, unusableInput, type CompiledCondition } from "./conditions.js";
import { actionMatches, resourceCovered, roleMatches, type CompiledPolicy, type ConditionsOutcome } from "./compile.js";
import { CONDITION_ERROR, conclude, newTally, record, recordPending } from "./decide.js";
import type { Explanation, PolicyTrace } from "./types.js";

/** What the request looks like once checked. @internal */
export interface ExplainRequest {
  action: string;
  resource: string;
  type: string;
  field: string;
  roles: readonly string[];
  context: unknown;
}

const list = (items: readonly unknown[]) => `[${items.map(String).join(", ")}]`;

/** The type of a value, or the value itself when `withValues` is on. */
function describe(value: unknown, withValues: boolean): string {
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if (!withValues || value === undefined) return kind;
  let text: string;
  try {
    text = JSON.stringify(value) ?? kind;
  } catch {
    text = kind;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Why a condition that was evaluated is false. Throws what the context throws. */
function failure(c: CompiledCondition, head: string, context: unknown, withValues: boolean): string {
  // Literal expected values come from the policy file and are safe to show;
  // context values are request data, so only their paths are named.
  const expected = [...c.expected.map((e) => JSON.stringify(e)), ...c.contextNames];
  const tail = c.operator === "exists" ? "" : `, expected ${list(expected)}`;
  return `${head}: got ${describe(resolvePath(context, c.path), withValues)}${tail}`;
}

/** Which input keeps the condition from being evaluated, and how. */
function unevaluable(c: CompiledCondition, head: string, context: unknown, withValues: boolean): string {
  const bad = unusableInput(c, context, c.readsRoot && hasNoObject(context));
  if (bad === null) return `${head} cannot be evaluated`;
  if (bad.kind === "missing") return `${head} cannot be evaluated: ${bad.path} is missing`;
  const value = resolvePath(context, splitPath(bad.path));
  return `${head} cannot be evaluated: ${bad.path} is the wrong type for ${c.operator} (got ${describe(value, withValues)})`;
}

interface Judged {
  trace: PolicyTrace;
  outcome: ConditionsOutcome;
}

function judge(p: CompiledPolicy, req: ExplainRequest, withValues: boolean): Judged {
  const effect = p.policy.effect;
  const trace = (outcome: ConditionsOutcome, reason: string): Judged => {
    const matched = outcome === "match" || outcome === "error";
    const t: PolicyTrace = { policyId: p.id, effect, matched, reason };
    if (outcome === "pending") t.dependsOnObject = true;
    return { trace: t, outcome };
  };
  if (!actionMatches(p, req.action)) return trace("no-match", `action '${req.action}' not in ${list(p.policy.actions)}`);
  if (!resourceCovered(p, req.type, req.field)) return trace("no-match", `resource '${req.resource}' not in ${list(p.policy.resources)}`);
  if (!roleMatches(p, req.roles)) return trace("no-match", `roles ${list(req.roles)} not in ${list(p.policy.roles)}`);
  let unknown: string | undefined;
  let pending: string | undefined;
  for (let k = 0; k < p.conditions.length; k++) {
    const c = p.conditions[k] as CompiledCondition;
    const head = `condition[${k}] ${c.field} ${c.operator}`;
    try {
      const state = conditionState(c, req.context);
      if (state === FAILS) return trace("no-match", failure(c, head, req.context, withValues));
      if (state === UNKNOWN) {
        const why = unevaluable(c, head, req.context, withValues);
        // Mirrors conditionsOutcome: an allow stops here, a deny counts the condition as met.
        if (!p.deny) return trace("no-match", `${why} (an allow does not match)`);
        unknown ??= `matched: ${why} (a deny matches: missing data never weakens a deny)`;
      } else if (state === PENDING) {
        const paths = p.objectPaths.map((x) => `root.${x}`).join(", ");
        pending ??= `${head}: depends on the object (reads ${paths}; the context has no root)`;
      }
    } catch {
      return trace("error", `${head}: threw (${CONDITION_ERROR}, denies)`);
    }
  }
  if (pending !== undefined) return trace("pending", pending);
  if (unknown !== undefined) return trace("match", unknown);
  return trace("match", p.conditions.length === 0 ? "matched" : `matched (${p.conditions.length} condition(s) hold)`);
}

/**
 * Judges every policy and concludes with the same rules as `evaluate`.
 * A policy whose condition threw is reported as matched (it denies); one
 * that waits for the object is reported unmatched with `dependsOnObject`.
 * @internal
 */
export function explainAll(policies: readonly CompiledPolicy[], req: ExplainRequest, withValues: boolean): Explanation {
  const tally = newTally();
  const considered: PolicyTrace[] = [];
  for (const p of policies) {
    const judged = judge(p, req, withValues);
    considered.push(judged.trace);
    if (judged.outcome === "match" || judged.outcome === "error") record(tally, p, judged.outcome === "error");
    else if (judged.outcome === "pending") recordPending(tally, p);
  }
  return { ...conclude(tally), considered };
}
