/**
 * The one object a request's authorization passes around, as graphql-js has
 * its `ExecutionContext`: the plan, the caller, the evaluator, the mode and
 * the audit scope, and the single place where a decision is reported and a
 * denial becomes a located error.
 * @module
 */
import type { ExecutionArgs, GraphQLError } from "graphql";
import type { SecurityContext } from "../core/index.js";
import { emitDecision, type AuditScope } from "./audit.js";
import type { RequestEval, SharedEvalState, Verdict } from "./evaluate.js";
import { denialError, denialInfo, type DenialInfo } from "./errors.js";
import type { ResolvedAuthzOptions } from "./options.js";
import type { PlanCache } from "./plan-cache.js";
import type { Plan, PlanField } from "./plan.js";
import type { FieldDecision } from "./pre-check.js";
import type { GatedSchema } from "./wrapped-schema.js";
import type { Executor } from "./types.js";

/** What a request needs from the authz instance. @internal */
export interface Runtime {
  readonly opts: ResolvedAuthzOptions;
  readonly plans: PlanCache;
  readonly shared: SharedEvalState;
  /** The schema copy for operations with a denial or source rules, built on first use. */
  gated(): GatedSchema;
}

type Path = ReadonlyArray<string | number>;

/** One request under authorization. @internal */
export class AuthzRequest {
  /** The caller's execute arguments. */
  readonly args: ExecutionArgs;
  /** False in audit mode: nothing is denied, would-be denials are reported. */
  readonly enforce: boolean;
  /** The caller's executor for the plan's document, when it passed one (a server's own); else graphql-js. */
  executor: Executor | null = null;

  constructor(
    readonly rt: Runtime,
    args: ExecutionArgs,
    /** The plan that runs; the fully injected fallback replaces it when a reused field is not served. */
    public plan: Plan,
    readonly security: SecurityContext,
    readonly vars: Record<string, unknown>,
    readonly evaluator: RequestEval,
    readonly audit: AuditScope | null,
  ) {
    this.args = args;
    this.enforce = rt.opts.mode === "enforce";
  }

  /** Arguments for graphql-js: the authz schema and the plan's document (augmented for post rules). */
  executionArgs(): ExecutionArgs {
    return { ...this.args, schema: this.rt.opts.schema, document: this.plan.document };
  }

  /** Reports a denial; returns the located error to send, or `null` in audit mode. */
  deny(field: PlanField, path: Path, decision: FieldDecision): GraphQLError | null {
    return this.denyVerdict(field, path, decision.rule, decision.verdict);
  }

  /** {@link deny} with the deciding rule and verdict given apart. */
  denyVerdict(field: PlanField, path: Path, rule: string, verdict: Verdict): GraphQLError | null {
    const info = this.report(field, path, rule, verdict);
    return info ? denialError(info, path, field.nodes) : null;
  }

  /**
   * Reports a denial without building its error (for denials raised later, by
   * the gated resolvers); returns what the client sees, or `null` in audit mode.
   */
  report(field: PlanField, path: Path, rule: string, verdict: Verdict): DenialInfo | null {
    const info = denialInfo(verdict, this.security);
    if (this.audit) emitDecision(this.audit, this.enforce ? "deny" : "would-deny", field.rules.coordinate, path, rule, verdict, info.code);
    return this.enforce ? info : null;
  }

  /** Reports an allowed field when allowed decisions are audited. */
  allow(field: PlanField, path: Path, decision: FieldDecision): void {
    if (this.audit && this.rt.opts.auditAllows) emitDecision(this.audit, "allow", field.rules.coordinate, path, decision.rule, decision.verdict);
  }
}
