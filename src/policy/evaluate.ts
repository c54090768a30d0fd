/**
 * The hot path of `evaluate()`: a few map lookups, then role and condition
 * checks on the policies found. No arrays, closures or strings are built per
 * request in the common case; decisions are prebuilt frozen objects.
 * @module
 */
import { splitResource } from "./glob.js";
import { actionMatches, conditionsOutcome, resourceCovered, roleMatches, type CompiledPolicy } from "./compile.js";
import { DEFAULT_DENY, INVALID_INPUT, MALFORMED_RESOURCE, conclude, newTally, record, recordPending, type Tally } from "./decide.js";
import { candidates, type ActionTable, type Bucket, type PolicyIndex } from "./policy-index.js";
import type { Decision, EvaluateInput } from "./types.js";

type OnError = ((policyId: string, error: unknown) => void) | undefined;

/** Per-engine state of the hot path. @internal */
export interface Evaluator {
  readonly index: PolicyIndex;
  readonly onError: OnError;
  /** Parsed resources; GraphQL resources come from a finite schema, so hits dominate. */
  readonly parsed: Map<string, Resource | null>;
}

/** A parsed resource, with what is remembered about it. @internal */
export interface Resource {
  readonly type: string;
  readonly field: string;
  /**
   * Per action: decisions by role set when no policy that can apply has a
   * condition (the roles then decide alone), or `null` when some policy
   * reads the context and every request is judged.
   */
  readonly byAction: Map<string, Map<string, Decision> | null>;
}

/** Bounds the memo of role-only decisions (role sets per resource and action, and actions per resource). */
const ROLE_MEMO_LIMIT = 1_000;

/** Bounds the parse cache so crafted resource strings cannot grow memory. */
const PARSE_CACHE_LIMIT = 10_000;

function parse(ev: Evaluator, resource: string): Resource | null {
  let parsed = ev.parsed.get(resource);
  if (parsed === undefined) {
    const parts = splitResource(resource);
    parsed = parts === null ? null : { type: parts[0], field: parts[1], byAction: new Map() };
    if (ev.parsed.size >= PARSE_CACHE_LIMIT) ev.parsed.clear();
    ev.parsed.set(resource, parsed);
  }
  return parsed;
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

/** The memo of role-only decisions for one action and resource, or `null` when conditions apply. */
function roleMemo(ev: Evaluator, action: string, resource: Resource): Map<string, Decision> | null {
  let memo = resource.byAction.get(action);
  if (memo === undefined) {
    const free = candidates(ev.index, action, resource.type, resource.field).every((bucket) => bucket.every((p) => (p as CompiledPolicy).conditions.length === 0));
    memo = free ? new Map() : null;
    if (resource.byAction.size >= ROLE_MEMO_LIMIT) resource.byAction.clear();
    resource.byAction.set(action, memo);
  }
  return memo;
}

/**
 * A key for a role list, or `null` when a role is not a string or holds the
 * separator (then the request is judged in full, so no two lists share a key).
 * {@link rolesFromKey} gives the roles back. @internal
 */
export function rolesKey(roles: readonly unknown[]): string | null {
  let key = "";
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i];
    if (typeof role !== "string" || role.includes("\u0000")) return null;
    key += i === 0 ? role : `\u0000${role}`;
  }
  return key;
}

/** The roles a {@link rolesKey} was made of. @internal */
export function rolesFromKey(key: string): string[] {
  return key === "" ? [] : key.split("\u0000");
}

/** Decides one request with the index. Never throws for well-behaved contexts; callers still guard. @internal */
export function evaluateIndexed(ev: Evaluator, input: EvaluateInput): Decision {
  if (typeof input !== "object" || input === null) return INVALID_INPUT;
  const { resource, action, roles } = input;
  if (typeof action !== "string" || typeof resource !== "string" || !Array.isArray(roles)) return INVALID_INPUT;
  const parsed = parse(ev, resource);
  if (parsed === null) return MALFORMED_RESOURCE;
  const { type, field } = parsed;
  // Most fields are guarded by roles alone: their decision is remembered per role set.
  const memo = roleMemo(ev, action, parsed);
  const who = memo === null ? null : rolesKey(roles);
  if (memo !== null && who !== null) {
    const known = memo.get(who);
    if (known !== undefined) return known;
    // Judged with the roles the key was made of, so what is remembered is what was decided.
    const decision = judgeAll(ev, { ...input, roles: rolesFromKey(who) }, type, field);
    if (memo.size >= ROLE_MEMO_LIMIT) memo.clear();
    memo.set(who, decision);
    return decision;
  }
  return judgeAll(ev, input, type, field);
}

/**
 * The remembered decision when the roles alone decide `resource` for
 * `action` (no policy that can apply has a condition), else `undefined`:
 * then the caller evaluates in full, which also fills the memo. Lets a
 * caller skip building a context that would not be read. @internal
 */
export function decidedByRoles(ev: Evaluator, resource: string, action: string, roles: readonly unknown[]): Decision | undefined {
  const parsed = parse(ev, resource);
  if (parsed === null) return undefined;
  const memo = roleMemo(ev, action, parsed);
  if (memo === null) return undefined;
  const who = rolesKey(roles);
  return who === null ? undefined : memo.get(who);
}

function judgeAll(ev: Evaluator, input: EvaluateInput, type: string, field: string): Decision {
  const { action } = input;
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
