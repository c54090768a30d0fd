/**
 * The post-execution phase of one request: drops the errors of fields
 * fetched only for the rules, walks the response with the post rules
 * ({@link Walk}), unless every ruled field allows all its rows for this
 * request, and returns the response with denied positions nulled and their
 * errors after graphql-js's own.
 * @module
 */
import type { ExecutionResult, GraphQLError } from "graphql";
import { isPromise } from "./evaluate.js";
import { clientErrors, failedInputPositions } from "./post-path.js";
import { postProgram } from "./post-program.js";
import { Walk } from "./post-walk.js";
import type { PreCheck } from "./pre-check.js";
import type { AuthzRequest } from "./request.js";
import type { PromiseOrValue } from "./types.js";

type Obj = Record<string, unknown>;

/** Post rules applied to an execution result. @internal */
export function postPhase(r: AuthzRequest, pre: PreCheck, res: ExecutionResult): PromiseOrValue<ExecutionResult> {
  const aug = r.plan.post!;
  let errors = res.errors;
  let failedInputs: ReadonlySet<string> | null = null;
  if (errors?.length) {
    failedInputs = failedInputPositions(errors, aug.prefix);
    errors = clientErrors(errors, aug.prefix, res.data);
  }
  const program = postProgram(r.plan);
  if (!res.data || !program.root) return errors === res.errors ? res : withErrors(res, res.data ?? null, errors ?? [], []);
  const walk = new Walk(r, pre, failedInputs);
  if (failedInputs === null && walk.everyRowAllowed(program)) return errors === res.errors ? res : withErrors(res, res.data, errors ?? [], []);
  walk.level(program.root, res.data as Obj, null, null);
  const done = walk.finish();
  return isPromise(done) ? done.then(() => complete(r, walk, res, errors)) : complete(r, walk, res, errors);
}

function complete(r: AuthzRequest, walk: Walk, res: ExecutionResult, errors: readonly GraphQLError[] | undefined): ExecutionResult {
  const { errors: denials, dataNull } = walk.apply();
  if (denials.length > 0 && r.rt.opts.onDenied === "reject") return { errors: denials };
  // The walk changes the result's objects in place: with nothing denied or dropped, the result is graphql-js's own.
  if (denials.length === 0 && !dataNull && errors === res.errors) return res;
  return withErrors(res, dataNull ? null : (res.data as Obj), errors ?? [], denials);
}

function withErrors(res: ExecutionResult, data: Obj | null, errors: readonly GraphQLError[], denials: readonly GraphQLError[]): ExecutionResult {
  const all = denials.length === 0 ? errors : errors.length === 0 ? denials : [...errors, ...denials];
  const out: { -readonly [K in keyof ExecutionResult]: ExecutionResult[K] } = { data };
  if (all.length > 0) out.errors = all;
  if (res.extensions !== undefined) out.extensions = res.extensions;
  return out;
}
