/**
 * Response positions for the post-execution walk: a linked path that costs
 * one small object per visited position, and is turned into an error path
 * only for a denial.
 * @module
 */
import { GraphQLError } from "graphql";
import type { RuleInfo } from "./types.js";

type Obj = Record<string, unknown>;

/** A response position: enough to build the error path and to null the position. @internal */
export class PathNode {
  /** A denial below nulls this position (set during the walk, to skip work; re-derived when applying). */
  doomed = false;
  /** Nulled while applying denials: later denials inside are dropped (one error per propagation). */
  dead = false;
  constructor(
    readonly prev: PathNode | null,
    readonly key: string | number,
    readonly nonNull: boolean,
    readonly container: Obj | unknown[],
  ) {}
}

/** The response path of a position. @internal */
export function pathOf(node: PathNode | null): Array<string | number> {
  const out: Array<string | number> = [];
  for (let n = node; n; n = n.prev) out.push(n.key);
  return out.reverse();
}

/** The info a post rule receives; its path (with list indices) is built only when read. @internal */
export class RowInfo implements RuleInfo {
  constructor(
    private readonly base: RuleInfo,
    private readonly node: PathNode | null,
    private readonly key: string,
  ) {}
  get path() {
    const path = pathOf(this.node);
    path.push(this.key);
    return path;
  }
  get coordinate() { return this.base.coordinate; }
  get parentTypeName() { return this.base.parentTypeName; }
  get fieldName() { return this.base.fieldName; }
  get security() { return this.base.security; }
  get schema() { return this.base.schema; }
  get operation() { return this.base.operation; }
  get fieldNodes() { return this.base.fieldNodes; }
  get variableValues() { return this.base.variableValues; }
}

/** Sets a key of a plain object as data: a response key named __proto__ must not set the prototype. @internal */
export function setData(target: Obj, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Is the position, or one around it, already nulled by a denial? @internal */
export function isDead(node: PathNode | null): boolean {
  for (let n = node; n; n = n.prev) if (n.dead) return true;
  return false;
}

/** The message of an error that a field fetched only for a rule caused at the client's object. @internal */
export const FETCHED_FIELD_FAILED = "A field read for an authorization rule could not be resolved.";

/**
 * The result's errors without those of fields fetched only for the rules
 * (their paths hold a key with the reserved `prefix`), except where such an
 * error nulled data the client sees (a non-null field read for a rule): that
 * one is kept, located at the client's object that held the fetched field, so
 * a null never reaches the client without an error; with a generic message,
 * since the original may quote the fetched value. `errors` itself when none
 * of them belongs to a fetched field (the usual case). @internal
 */
export function clientErrors(errors: readonly GraphQLError[], prefix: string, data: unknown): readonly GraphQLError[] {
  let out: GraphQLError[] | null = null;
  const seen = new Set<string>();
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i]!;
    const path = error.path ?? [];
    const at = path.findIndex((p) => typeof p === "string" && p.startsWith(prefix));
    if (at < 0) {
      out?.push(error);
      continue;
    }
    out ??= errors.slice(0, i);
    const client = path.slice(0, at);
    const key = JSON.stringify(client);
    if (seen.has(key) || !nulledAt(data, client)) continue;
    seen.add(key);
    // Its own message and extensions may quote the value of a field the client did not ask for (and may be denied):
    // neither is kept, nor is the error itself as `originalError`, whose message and stack servers show
    // (development stack traces, a gatehouse error's code and message). It stays reachable for logs as the `cause`.
    const originalError = new Error(FETCHED_FIELD_FAILED, { cause: error.originalError ?? error });
    out.push(new GraphQLError(FETCHED_FIELD_FAILED, { path: client, originalError, extensions: {} }));
  }
  return out ?? errors;
}

/** A response position (with list indices) as a set key. @internal */
export function positionKey(path: ReadonlyArray<string | number>): string {
  return JSON.stringify(path);
}

/**
 * The objects (as {@link positionKey}s) holding a field fetched only for
 * the rules that failed: an error whose path passes a key with the reserved
 * `prefix` marks the object above that key. `null` when there is none.
 * @internal
 */
export function failedInputPositions(errors: readonly GraphQLError[], prefix: string): ReadonlySet<string> | null {
  let out: Set<string> | null = null;
  for (const error of errors) {
    const path = error.path ?? [];
    const at = path.findIndex((p) => typeof p === "string" && p.startsWith(prefix));
    if (at >= 0) (out ??= new Set()).add(positionKey(path.slice(0, at)));
  }
  return out;
}

/** Is the position at `path`, or one around it, null in `data`? */
function nulledAt(data: unknown, path: ReadonlyArray<string | number>): boolean {
  let at: unknown = data;
  for (const key of path) {
    if (at === null || at === undefined) return true;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at === null || at === undefined;
}
