/**
 * Batched post rules: once the walk has judged every row, each batched rule
 * of a field judges all the rows that reached it in one call (one call per
 * field per operation, not one per row); the rows it allows go on to the
 * field's next batched rule.
 * @module
 */
import { fromResult, isPromise, THREW, type Verdict } from "./evaluate.js";
import type { PlanField } from "./plan.js";
import type { Step } from "./post-program.js";
import type { PromiseOrValue, RuleInfo } from "./types.js";

/** What the batches need of the walk. @internal */
export interface BatchHost<R> {
  readonly context: unknown;
  args(field: PlanField): Record<string, unknown>;
  info(field: PlanField): RuleInfo;
  /** A row that batched rule `rule` denied (or could not judge). */
  deny(row: R, rule: string, verdict: Verdict): void;
  /** Rows of `step` that every batched rule allowed. */
  allowed(step: Step): void;
}

/** A row as a batched rule sees it: the field's value and its parent. */
interface BatchRow {
  readonly value: unknown;
  readonly view: unknown;
}

const NOT_ONE_PER_ROW: Verdict = Object.freeze({ ok: false, reason: "batched rule did not return one result per row" });

/** Runs the batched rules of every queued field; a promise when a rule answers later. @internal */
export function runBatches<R extends BatchRow>(host: BatchHost<R>, queued: ReadonlyMap<Step, R[]>): Promise<void> | undefined {
  const waits: Promise<void>[] = [];
  for (const [step, rows] of queued) {
    const done = batch(host, step, rows, 0);
    if (isPromise(done)) waits.push(done);
  }
  return waits.length > 0 ? Promise.all(waits).then(() => undefined) : undefined;
}

/** Batched rule `i` of `step` judges `rows` in one call; the rows it allows go on to the next. */
function batch<R extends BatchRow>(host: BatchHost<R>, step: Step, rows: R[], i: number): PromiseOrValue<void> {
  if (rows.length === 0) return;
  if (i === step.batchRules.length) return host.allowed(step);
  const named = step.batchRules[i]!;
  const rule = named.rule;
  if (rule.kind !== "post") return;
  const f = step.field;
  const judge = (results: unknown): PromiseOrValue<void> => {
    // Anything but one answer per row denies every row (fail closed).
    const ok = Array.isArray(results) && results.length === rows.length;
    const next: R[] = [];
    rows.forEach((row, k) => {
      const result = ok ? (results as unknown[])[k] : undefined;
      if (result === true) next.push(row);
      else host.deny(row, named.name, ok ? fromResult(result, rule) : NOT_ONE_PER_ROW);
    });
    return batch(host, step, next, i + 1);
  };
  const threw = () => rows.forEach((row) => host.deny(row, named.name, THREW));
  let results: unknown;
  try {
    results = (rule.fn as unknown as (...a: unknown[]) => unknown)(host.context, host.args(f), rows.map((r) => r.value), rows.map((r) => r.view), host.info(f));
  } catch {
    return threw();
  }
  if (isPromise(results as PromiseOrValue<unknown>)) return Promise.resolve(results).then(judge, threw);
  return judge(results);
}
