/**
 * Post-execution rules on the result, following the plan's compiled walk
 * (`postProgram` in post-program.ts): visit only positions that lead to a ruled field,
 * show each rule its parent with the injected fields under their real names,
 * strip injected keys (in place), then null denied
 * positions and propagate nulls through non-null positions as the GraphQL
 * spec does, one error per propagation, in document order.
 * @module
 */
import type { GraphQLError } from "graphql";
import { ALLOW, fromResult, isPromise, THREW, type Verdict } from "./evaluate.js";
import { runBatches, type BatchHost } from "./post-batch.js";
import type { PlanField } from "./plan.js";
import { decide, ruleInfo, type PreCheck } from "./pre-check.js";
import type { LevelProgram, PostProgram, Step, ValueProgram } from "./post-program.js";
import type { AuthzRequest } from "./request.js";
import { isDead, PathNode, pathOf, positionKey, RowInfo, setData } from "./post-path.js";
import type { Denial, FieldRows, Row } from "./post-rows.js";
import { dropNames, renameInPlace, strippedCopy } from "./post-view.js";
import type { JudgeScope, PostRule, PromiseOrValue, RowJudge, RuleInfo } from "./types.js";

type Obj = Record<string, unknown>;

const EMPTY_ARGS = { values: {}, key: "{}" } as const;
const INPUT_FAILED: Verdict = { ok: false, reason: "a field read for the rule failed to resolve" };
/** Marks a rule that threw, apart from anything a rule can return. */
const THROWN = Symbol("thrown");

/** The walk of one response. @internal */
export class Walk {
  private seq = 0;
  private readonly denials: Denial[] = [];
  private readonly pending: Promise<void>[] = [];
  /** Rows waiting for a field's batched rules; made on first use. */
  private queued: Map<Step, Row[]> | undefined;
  /** Ruled fields with an allowed row, for audit of allowed decisions; made on first use. */
  private passedSteps: Set<Step> | undefined;
  private reordered = false;
  /** Response objects whose rules read them in place and may still read them, each followed by the real names to drop (see `apply`). */
  private keptNames: Array<Obj | readonly string[]> | undefined;
  /** A denial nulls the whole response: nothing else can show. */
  stopped = false;
  private readonly infos: Array<RuleInfo | undefined> = [];
  /** Per plan field, what its rows share (see {@link FieldRows}). */
  private readonly fields: Array<FieldRows | undefined> = [];
  private readonly context: unknown;
  private readonly auditAllows: boolean;
  /** What internal rules compile once per request (e.g. a policy's row check). */
  private scope: JudgeScope | undefined;

  constructor(
    private readonly r: AuthzRequest,
    private readonly pre: PreCheck,
    /** Positions of objects where a field fetched for the rules failed (see `failedInputPositions`); `null` when none did. */
    private readonly failedInputs: ReadonlySet<string> | null = null,
  ) {
    this.context = r.args.contextValue;
    this.auditAllows = r.audit !== null && r.rt.opts.auditAllows;
  }

  level(level: LevelProgram, obj: Obj, node: PathNode | null, strip: string | null): Obj {
    // Injected keys are removed in place: result objects are graphql-js's own
    // (null-prototype, dictionary-mode) objects, where a delete is a cheap
    // hash removal and no copy of the row is needed.
    if (strip !== null) delete obj[strip];
    const injected = level.injected;
    if (injected === null) {
      this.steps(level, obj, obj, node);
    } else if (injected.inPlace && this.judgedInPlace(level)) {
      // The rules read the response object itself, with the injected values under their real names.
      renameInPlace(obj, injected);
      let handedOn = true;
      try {
        handedOn = this.steps(level, obj, obj, node);
      } finally {
        // A rule answering later may still read them: then they go once every rule has answered.
        if (handedOn) (this.keptNames ??= []).push(obj, injected.names);
        else dropNames(obj, injected.names);
      }
    } else {
      this.steps(level, obj, strippedCopy(obj, injected), node);
    }
    return obj;
  }

  /**
   * Will every row of this level be judged in place and let go at once when
   * allowed (the plain-rule and prepared-check fast paths)? Only then may the
   * rules read the response object itself.
   */
  private judgedInPlace(level: LevelProgram): boolean {
    for (const step of level.steps) {
      if (!step.ruled) continue;
      const rows = this.fields[step.field.index] ?? this.fieldRows(step);
      if (rows.on && rows.quick === null && !rows.preparedQuick) return false;
    }
    return true;
  }

  /**
   * Judges the steps of one object, `view` being what its rules see as the
   * parent. Returns whether a rule may still read `view` after this call (it
   * answered with a promise, or went through the generic evaluator), so
   * that `view` must stay as it is until the rules answer.
   */
  private steps(level: LevelProgram, obj: Obj, view: Obj, node: PathNode | null): boolean {
    let handedOn = false;
    // One pass in document order, as graphql-js executes: denials are found in
    // the order its errors would be. A field's own subtree is walked before
    // its rules judge it, so they see it with injected keys stripped.
    const steps = level.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      let self: PathNode | undefined;
      let seq = -1;
      if (step.value) {
        const v = obj[step.key];
        if (v !== null && v !== undefined) {
          self = new PathNode(node, step.key, step.nonNull, obj);
          // The field's own place in document order comes before its contents'.
          if (step.ruled) seq = this.seq++;
          const next = this.value(step.value, v, self);
          if (next !== v) {
            obj[step.key] = next;
            if (view !== obj) setData(view, step.key, next);
          }
          if (this.stopped || node?.doomed) return handedOn;
        }
      }
      if (!step.ruled) continue;
      const rows = this.fields[step.field.index] ?? this.fieldRows(step);
      if (!rows.on) continue;
      const value = obj[step.key];
      if (value === undefined) continue;
      if (seq < 0) seq = this.seq++;
      const quick = rows.quick;
      if (quick !== null) {
        // The usual row, in place: one call, and nothing more when it allows.
        let result: unknown;
        try {
          result = quick(this.context, rows.args.values, value, view, rows.info);
        } catch {
          result = THROWN;
        }
        if (result === true) continue;
        // A rule that answers later may read its view until then.
        if (isPromise(result as PromiseOrValue<unknown>)) handedOn = true;
        this.settle({ seq, step, value, view, node, container: obj, self }, step.rowRules[0]!.name, result === THROWN ? THREW : result, step.direct!);
      } else if (rows.preparedQuick) {
        // A policy's row check, in place.
        let verdict: Verdict;
        try {
          verdict = rows.prepared!(view, new RowInfo(rows.info, node, step.key));
        } catch {
          verdict = THREW;
        }
        if (verdict.ok) continue;
        this.settle({ seq, step, value, view, node, container: obj, self }, step.rowRules[0]!.name, verdict);
      } else {
        handedOn = true;
        this.judge(step, rows, value, view, node, obj, seq, self);
      }
      if (this.stopped || node?.doomed) return handedOn;
    }
    return handedOn;
  }

  value(program: ValueProgram, v: unknown, node: PathNode): unknown {
    if (program.kind === "list") {
      const list = v as unknown[];
      const itemProgram = program.item;
      // A list of objects of one type, the usual case: straight to their level.
      const rows = itemProgram.kind === "object" ? itemProgram.single : null;
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        if (item === null || item === undefined) continue;
        const at = new PathNode(node, i, program.itemNonNull, list);
        const next = rows ? this.level(rows, item as Obj, at, null) : this.value(itemProgram, item, at);
        if (next !== item) list[i] = next;
        if (this.stopped || node.doomed) break;
      }
      return list;
    }
    const obj = v as Obj;
    if (program.single) return this.level(program.single, obj, node, null);
    const typeName = program.typeKey === null ? undefined : obj[program.typeKey];
    // Unknown concrete type: its rules cannot be applied, so the object is withheld (fail closed).
    if (typeof typeName !== "string") return null;
    return this.level(program.byType.get(typeName) ?? { steps: [], injected: null }, obj, node, program.typeKey);
  }

  private args(field: PlanField) {
    return this.pre.args[field.index] ?? EMPTY_ARGS;
  }

  /** What the rows of `step`'s field share in this request; made once per field. */
  private fieldRows(step: Step): FieldRows {
    const f = step.field;
    // Post rules run only where the field was included and allowed before execution.
    const decision = this.pre.decisions[f.index];
    const on = decision !== undefined && decision.verdict.ok;
    const args = this.args(f);
    const info = this.baseInfo(f);
    const direct = step.direct;
    const plain = direct !== null && step.batchRules.length === 0 && !this.auditAllows && this.failedInputs === null;
    let prepared: RowJudge | null = null;
    if (on && step.internal && direct?.prepare) {
      try {
        prepared = direct.prepare(this.context, args.values, info, this.judgeScope());
      } catch {
        // Fail closed: a row check that cannot be prepared (it read a context that throws) denies every row.
        prepared = () => THREW;
      }
    }
    const rows: FieldRows = {
      on,
      args,
      info,
      quick: plain && !step.internal && !step.rowInfo ? direct.fn : null,
      prepared,
      preparedQuick: plain && prepared !== null,
    };
    this.fields[f.index] = rows;
    return rows;
  }

  /** The parts of a rule's info shared by every row of a field (the path comes per row). */
  private baseInfo(f: PlanField): RuleInfo {
    return (this.infos[f.index] ??= ruleInfo(f, f.path, this.r.security, this.r.rt.opts.schema, this.r.plan, this.r.vars));
  }

  /** Judges one row of a ruled field; allocates a {@link Row} only for what outlives the call. */
  private judge(step: Step, rows: FieldRows, value: unknown, view: Obj, node: PathNode | null, obj: Obj, seq: number, self: PathNode | undefined): void {
    // A rule whose input failed to resolve would judge the null left in its place: the row is denied instead.
    if (this.failedInputs !== null && this.failedInputs.has(positionKey(pathOf(node)))) {
      return this.denied({ seq, step, value, view, node, container: obj, self }, (step.rowRules[0] ?? step.batchRules[0])!.name, INPUT_FAILED);
    }
    if (step.rowRules.length === 0) return this.passed({ seq, step, value, view, node, container: obj, self });
    const args = rows.args;
    const base = rows.info;
    const direct = step.direct;
    const info = direct && !step.rowInfo ? base : new RowInfo(base, node, step.key);
    if (direct) {
      const internal = step.internal;
      let result: unknown;
      try {
        result = internal ? this.internal(direct, rows, value, view, info) : direct.fn(this.context, args.values, value, view, info);
      } catch {
        result = THROWN;
      }
      if (internal && result !== THROWN) {
        const verdict = result as Verdict;
        if (verdict.ok && step.batchRules.length === 0 && !this.auditAllows) return;
        return this.settle({ seq, step, value, view, node, container: obj, self }, step.rowRules[0]!.name, verdict);
      }
      if (result === true) {
        if (step.batchRules.length > 0 || this.auditAllows) this.passed({ seq, step, value, view, node, container: obj, self });
        return;
      }
      return this.settle({ seq, step, value, view, node, container: obj, self }, step.rowRules[0]!.name, result === THROWN ? THREW : result, direct);
    }
    const target = { value, parent: view, parentKey: obj, field: step.field.index };
    const row: Row = { seq, step, value, view, node, container: obj, self };
    const d = decide(step.rowRules, (named) => this.r.evaluator.run(named.rule, args.values, args.key, info, target));
    if (isPromise(d)) {
      this.reordered = true;
      this.pending.push(d.then((decision) => this.settle(row, decision.rule, decision.verdict)));
    } else this.settle(row, d.rule, d.verdict);
  }

  /**
   * Does every ruled field allow all its rows for this request, without
   * reading them (see `PostRule.allowsEveryRow`)? Then, with nothing
   * injected to strip and no allowed decision to audit, there is nothing to walk.
   */
  everyRowAllowed(program: PostProgram): boolean {
    if (program.injects || this.auditAllows || program.ruled.length === 0) return false;
    for (const step of program.ruled) {
      const rule = step.direct;
      if (step.batchRules.length > 0 || !rule?.allowsEveryRow) return false;
      const decision = this.pre.decisions[step.field.index];
      // A field denied (or skipped) before execution is not in the result: nothing to judge.
      if (decision === undefined || !decision.verdict.ok) continue;
      let every: boolean;
      try {
        every = rule.allowsEveryRow(this.context, this.args(step.field).values, this.baseInfo(step.field), this.judgeScope());
      } catch {
        // The rows are judged one by one instead, where a rule that throws denies.
        every = false;
      }
      if (!every) return false;
    }
    return true;
  }

  /** What internal rules keep for this request, made on first use. */
  private judgeScope(): JudgeScope {
    return (this.scope ??= { memo: new Map(), explain: this.r.audit !== null });
  }

  /** An internal rule's verdict on one row; what it prepares per field is made on the field's first row. */
  private internal(rule: PostRule, rows: FieldRows, value: unknown, view: Obj, info: RuleInfo): Verdict {
    return rows.prepared ? rows.prepared(view, info) : rule.judge!(this.context, rows.args.values, value, view, info);
  }

  /** A row's outcome: a verdict, or a rule's raw (possibly async) result. */
  private settle(row: Row, rule: string, outcome: unknown, raw?: PostRule): void {
    if (isPromise(outcome as PromiseOrValue<unknown>)) {
      this.reordered = true;
      // Promise.resolve: a thenable's own `then` may return nothing to wait on, and the row would go unjudged.
      this.pending.push(
        Promise.resolve(outcome).then(
          (x) => this.settle(row, rule, x, raw),
          () => this.settle(row, rule, THREW),
        ),
      );
      return;
    }
    const verdict = raw && outcome !== THREW ? (outcome === true ? ALLOW : fromResult(outcome, raw)) : (outcome as Verdict);
    if (verdict.ok) this.passed(row);
    else this.denied(row, rule, verdict);
  }

  private passed(row: Row): void {
    const step = row.step;
    if (step.batchRules.length > 0) {
      this.queued ??= new Map();
      const rows = this.queued.get(step);
      if (rows) rows.push(row);
      else this.queued.set(step, [row]);
    } else if (this.auditAllows) (this.passedSteps ??= new Set()).add(step);
  }

  /** Keeps a denial; notes when it arrived out of document order, so `apply` sorts. */
  private record(row: Row, rule: string, verdict: Verdict): void {
    const last = this.denials[this.denials.length - 1];
    if (last !== undefined && last.row.seq > row.seq) this.reordered = true;
    this.denials.push({ row, rule, verdict });
  }

  private denied(row: Row, rule: string, verdict: Verdict): void {
    this.record(row, rule, verdict);
    // A denial of a non-null field nulls an enclosing position: the rest of
    // it need not be judged. Safe whatever the order in which denials arrive:
    // an earlier denial can only null this target or a position above it.
    if (!this.r.enforce || !row.step.nonNull) return;
    let target: PathNode | null = row.node;
    while (target && target.nonNull) target = target.prev;
    if (target) target.doomed = true;
    else this.stopped = true;
  }

  /** After the walk: awaits async rules, then runs batched rules once per field. */
  finish(): PromiseOrValue<void> {
    const afterRows = (): PromiseOrValue<void> => {
      if (!this.queued) return;
      const done = runBatches(this.batchHost(), this.queued);
      if (done) this.reordered = true;
      return done;
    };
    return this.pending.length > 0 ? Promise.all(this.pending).then(afterRows) : afterRows();
  }

  private batchHost(): BatchHost<Row> {
    return {
      context: this.context,
      args: (f) => this.args(f).values,
      info: (f) => this.baseInfo(f),
      deny: (row, rule, verdict) => this.record(row, rule, verdict),
      allowed: (step) => {
        if (this.auditAllows) (this.passedSteps ??= new Set()).add(step);
      },
    };
  }

  /** Nulls denied positions in document order; returns the errors and whether `data` became null. */
  apply(): { errors: GraphQLError[]; dataNull: boolean } {
    const errors: GraphQLError[] = [];
    // Every rule has answered: the real names added for them leave the response.
    const kept = this.keptNames;
    if (kept) for (let i = 0; i < kept.length; i += 2) dropNames(kept[i] as Obj, kept[i + 1] as readonly string[]);
    if (this.auditAllows) {
      for (const step of this.passedSteps ?? []) this.r.allow(step.field, step.field.path, { verdict: { ok: true }, rule: step.rowRules[0]?.name ?? step.batchRules[0]!.name });
    }
    const denials = this.reordered ? [...this.denials].sort((a, b) => a.row.seq - b.row.seq) : this.denials;
    for (const { row, rule, verdict } of denials) {
      const node = row.self ?? new PathNode(row.node, row.step.key, row.step.nonNull, row.container);
      if (isDead(node)) continue;
      const error = this.r.denyVerdict(row.step.field, pathOf(node), rule, verdict);
      if (!error) continue;
      errors.push(error);
      let target: PathNode | null = node;
      while (target && target.nonNull) target = target.prev;
      if (!target) return { errors, dataNull: true };
      target.dead = true;
      (target.container as Record<string | number, unknown>)[target.key] = null;
    }
    return { errors, dataNull: false };
  }
}
