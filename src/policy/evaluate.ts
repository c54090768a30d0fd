/**
 * The hot path of `evaluate()`: a few map lookups, then role and condition
 * checks on the policies found. No arrays, closures or strings are built per
 * request in the common case; decisions are prebuilt frozen objects.
 * @module
 */
import { splitResource } from "./glob.js";
import { actionMatches, conditionsOutcome, resourceCovered, roleMatches, type CompiledPolicy } from "./compile.js";
import { DEFAULT_DENY, INVALID_INPUT, MALFORMED_RESOURCE, conclude, newTally, record, recordPending, type Tally } from "./decide.js";
import type { ActionTable, Bucket, PolicyIndex } from "./policy-index.js";
import type { Decision, EvaluateInput } from "./types.js";

type OnError = ((policyId: string, error: unknown) => void) | undefined;

/** Per-engine state of the hot path. @internal */
export interface Evaluator {
  readonly index: PolicyIndex;
  readonly onError: OnError;
  /** Parsed resources; GraphQL resources come from a finite schema, so hits dominate. */
  readonly parsed: Map<string, readonly [string, string] | null>;
}

/** Bounds the parse cache so crafted resource strings cannot grow memory. */
const PARSE_CACHE_LIMIT = 10_000;

function parse(ev: Evaluator, resource: string): readonly [string, string] | null {
  let parts = ev.parsed.get(resource);
  if (parts === undefined) {
    parts = splitResource(resource);
    if (ev.parsed.size >= PARSE_CACHE_LIMIT) ev.parsed.clear();
    ev.parsed.set(resource, parts);
  }
  return parts;
}

function judge(p: CompiledPolicy, input: EvaluateInput, onError: OnError, tally: Tally): void {
  if (!roleMatches(p, input.roles)) return;
  const outcome = conditionsOutcome(p, input.context, onError);
  if (outcome === "match") record(tally, p, false);
  else if (outcome === "error") record(tally, p, true);
  else if (outcome === "pending") recordPending(tally, p);
}

/**
 * Judges every policy of a bucket. All candidates are judged (no early exit)
 * because a throwing condition must deny even after another policy allowed.
 */
function judgeBucket(bucket: Bucket | undefined, input: EvaluateInput, onError: OnError, tally: Tally): void {
  if (bucket === undefined) return;
  for (let i = 0; i < bucket.length; i++) judge(bucket[i] as CompiledPolicy, input, onError, tally);
}

function judgeTable(table: ActionTable | undefined, type: string, field: string, input: EvaluateInput, onError: OnError, tally: Tally): void {
  if (table === undefined) return;
  judgeBucket(table.exact.get(type)?.get(field), input, onError, tally);
  judgeBucket(table.anyField.get(type), input, onError, tally);
  judgeBucket(table.anyType.get(field), input, onError, tally);
  if (table.all.length > 0) judgeBucket(table.all, input, onError, tally);
}

/** Decides one request with the index. Never throws for well-behaved contexts; callers still guard. @internal */
export function evaluateIndexed(ev: Evaluator, input: EvaluateInput): Decision {
  if (typeof input !== "object" || input === null) return INVALID_INPUT;
  const { resource, action, roles } = input;
  if (typeof action !== "string" || typeof resource !== "string" || !Array.isArray(roles)) return INVALID_INPUT;
  const parts = parse(ev, resource);
  if (parts === null) return MALFORMED_RESOURCE;
  const [type, field] = parts;
  const { index, onError } = ev;
  const tally = newTally();
  judgeTable(index.byAction.get(action), type, field, input, onError, tally);
  judgeTable(index.anyAction, type, field, input, onError, tally);
  const scanned = index.scanned;
  for (let i = 0; i < scanned.length; i++) {
    const p = scanned[i] as CompiledPolicy;
    if (actionMatches(p, action) && resourceCovered(p, type, field)) judge(p, input, onError, tally);
  }
  return tally.deny === undefined && tally.allow === undefined && tally.pendingAllow === undefined ? DEFAULT_DENY : conclude(tally);
}
