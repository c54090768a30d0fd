/**
 * `explain()`: judges every policy in file order and says why each did or
 * did not match. Slower than `evaluate` by design (no index, strings built
 * per policy); meant for debugging, tests and the CLI.
 * @module
 */
import { resolvePath } from "./context-path.js";
import { conditionHolds, type CompiledCondition } from "./conditions.js";
import { actionMatches, resourceCovered, roleMatches, type CompiledPolicy } from "./compile.js";
import { CONDITION_ERROR, conclude, newTally, record } from "./decide.js";
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

/** Why one condition fails, or `null` when it holds. Throws what the context throws. */
function conditionFailure(c: CompiledCondition, k: number, context: unknown, withValues: boolean): string | null {
  if (conditionHolds(c, context)) return null;
  const head = `condition[${k}] ${c.field} ${c.operator}`;
  const missing = c.contextNames.find((_, i) => resolvePath(context, c.contextPaths[i] as readonly string[]) === undefined);
  if (missing !== undefined) return `${head}: expectedOnContext ${missing} is undefined`;
  // Literal expected values come from the policy file and are safe to show;
  // context values are request data, so only their paths are named.
  const expected = [...c.expected.map((e) => JSON.stringify(e)), ...c.contextNames];
  const tail = c.operator === "exists" ? "" : `, expected ${list(expected)}`;
  return `${head}: got ${describe(resolvePath(context, c.path), withValues)}${tail}`;
}

interface Judged {
  trace: PolicyTrace;
  matched: boolean;
  error: boolean;
}

function judge(p: CompiledPolicy, req: ExplainRequest, withValues: boolean): Judged {
  const effect = p.policy.effect;
  const no = (reason: string): Judged => ({ trace: { policyId: p.id, effect, matched: false, reason }, matched: false, error: false });
  if (!actionMatches(p, req.action)) return no(`action '${req.action}' not in ${list(p.policy.actions)}`);
  if (!resourceCovered(p, req.type, req.field)) return no(`resource '${req.resource}' not in ${list(p.policy.resources)}`);
  if (!roleMatches(p, req.roles)) return no(`roles ${list(req.roles)} not in ${list(p.policy.roles)}`);
  for (let k = 0; k < p.conditions.length; k++) {
    const c = p.conditions[k] as CompiledCondition;
    let failure: string | null;
    try {
      failure = conditionFailure(c, k, req.context, withValues);
    } catch {
      const reason = `condition[${k}] ${c.field} ${c.operator}: threw (${CONDITION_ERROR}, denies)`;
      return { trace: { policyId: p.id, effect, matched: true, reason }, matched: true, error: true };
    }
    if (failure !== null) return no(failure);
  }
  const reason = p.conditions.length === 0 ? "matched" : `matched (${p.conditions.length} condition(s) hold)`;
  return { trace: { policyId: p.id, effect, matched: true, reason }, matched: true, error: false };
}

/**
 * Judges every policy and concludes with the same rules as `evaluate`.
 * A policy whose condition threw is reported as matched (it denies).
 * @internal
 */
export function explainAll(policies: readonly CompiledPolicy[], req: ExplainRequest, withValues: boolean): Explanation {
  const tally = newTally();
  const considered: PolicyTrace[] = [];
  for (const p of policies) {
    const judged = judge(p, req, withValues);
    considered.push(judged.trace);
    if (judged.matched) record(tally, p, judged.error);
  }
  return { ...conclude(tally), considered };
}
