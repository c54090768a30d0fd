/**
 * What the post-execution walk keeps per row and per ruled field of a
 * request (see post-walk.ts).
 * @module
 */
import type { Verdict } from "./evaluate.js";
import type { PathNode } from "./post-path.js";
import type { Step } from "./post-program.js";
import type { PostRule, RowJudge, RuleInfo } from "./types.js";

type Obj = Record<string, unknown>;

/** One row of a ruled field: its value, the parent as rules see it, and where it is. @internal */
export interface Row {
  /** Document order of the row's field position: a field comes before what is inside it. */
  readonly seq: number;
  readonly step: Step;
  readonly value: unknown;
  readonly view: Obj;
  readonly node: PathNode | null;
  readonly container: Obj;
  /** The field's own position, when its value was walked: nulling it there silences denials inside. */
  readonly self?: PathNode;
}

/**
 * What every row of one ruled field shares in a request, made on the
 * field's first row: the rows then skip the per-field lookups. @internal
 */
export interface FieldRows {
  /** The field was included and allowed before execution: its post rules apply. */
  readonly on: boolean;
  readonly args: { readonly values: Record<string, unknown>; readonly key: string };
  /** The rule info without a row path. */
  readonly info: RuleInfo;
  /**
   * The field's one plain rule, when a row it allows needs nothing more (no
   * batched rule after it, no audit of allowed decisions, no failed input,
   * no per-row info): the walk calls it in place. `null` otherwise.
   */
  readonly quick: PostRule["fn"] | null;
  /** What the field's internal rule prepared for this request's rows (see `PostRule.prepare`); `null` for other rules. */
  readonly prepared: RowJudge | null;
  /** A row `prepared` allows needs nothing more, as for `quick`. */
  readonly preparedQuick: boolean;
}

/** A denied row, with the rule that denied it and why. @internal */
export interface Denial {
  readonly row: Row;
  readonly rule: string;
  readonly verdict: Verdict;
}
