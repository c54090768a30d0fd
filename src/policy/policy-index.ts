/**
 * The policy index: compiled once, so that evaluation looks at a handful
 * of buckets and its cost does not grow with unrelated policies.
 *
 * Each (action, resource) pair of a policy lands in one place:
 * - action exact or `"*"` and resource `Type::field`, `Type::*`, `*::field`
 *   or `*::*`: a bucket found by map lookups (at most 2 x 4 buckets per request);
 * - any other glob (`"Post::title*"`, action `"sub*"`): a short list that is
 *   scanned with pre-compiled matchers.
 * @module
 */
import { splitPattern } from "./glob.js";
import { actionMatches, resourceCovered, type CompiledPolicy } from "./compile.js";

/** Policies sharing one action key and one resource key, in file order. @internal */
export type Bucket = CompiledPolicy[];

/** Buckets of one action key. @internal */
export interface ActionTable {
  /** `Type::field` by type, then field. */
  readonly exact: Map<string, Map<string, Bucket>>;
  /** `Type::*` by type. */
  readonly anyField: Map<string, Bucket>;
  /** `*::field` by field. */
  readonly anyType: Map<string, Bucket>;
  /** `*::*`. */
  readonly all: Bucket;
}

/** The compiled index. @internal */
export interface PolicyIndex {
  readonly byAction: ReadonlyMap<string, ActionTable>;
  /** Tables of policies whose action is `"*"`. */
  readonly anyAction: ActionTable;
  /** Policies with a glob that fits no bucket; matched by scanning. */
  readonly scanned: readonly CompiledPolicy[];
}

function newTable(): ActionTable {
  return { exact: new Map(), anyField: new Map(), anyType: new Map(), all: [] };
}

function bucketIn<K>(map: Map<K, Bucket>, key: K): Bucket {
  let bucket = map.get(key);
  if (!bucket) map.set(key, (bucket = []));
  return bucket;
}

/** Adds a policy once per bucket (two resource patterns may share one). */
function push(bucket: Bucket, p: CompiledPolicy): void {
  if (bucket[bucket.length - 1] !== p) bucket.push(p);
}

function place(table: ActionTable, type: string, field: string, p: CompiledPolicy): void {
  if (type === "*" && field === "*") push(table.all, p);
  else if (type === "*") push(bucketIn(table.anyType, field), p);
  else if (field === "*") push(bucketIn(table.anyField, type), p);
  else {
    let fields = table.exact.get(type);
    if (!fields) table.exact.set(type, (fields = new Map()));
    push(bucketIn(fields, field), p);
  }
}

/** A part is indexable when it is `"*"` or has no `*` at all. */
const indexable = (part: string) => part === "*" || !part.includes("*");

/** Builds the index; policies must be in file order. @internal */
export function buildIndex(policies: readonly CompiledPolicy[]): PolicyIndex {
  const byAction = new Map<string, ActionTable>();
  const anyAction = newTable();
  const scanned: CompiledPolicy[] = [];
  for (const p of policies) {
    let needsScan = false;
    for (const action of p.policy.actions) {
      if (!indexable(action)) {
        needsScan = true;
        continue;
      }
      const table = action === "*" ? anyAction : (byAction.get(action) ?? byAction.set(action, newTable()).get(action)!);
      for (const resource of p.policy.resources) {
        const [type, field] = splitPattern(resource) as [string, string];
        if (indexable(type) && indexable(field)) place(table, type, field, p);
        else needsScan = true;
      }
    }
    // The scanned entry re-checks every pattern, so a policy found in both
    // places is still judged once per request by its lowest index (see engine).
    if (needsScan) scanned.push(p);
  }
  return { byAction, anyAction, scanned };
}

function collect(table: ActionTable | undefined, type: string, field: string, out: Bucket[]): void {
  if (!table) return;
  const exact = table.exact.get(type)?.get(field);
  if (exact) out.push(exact);
  const anyField = table.anyField.get(type);
  if (anyField) out.push(anyField);
  const anyType = table.anyType.get(field);
  if (anyType) out.push(anyType);
  if (table.all.length > 0) out.push(table.all);
}

/**
 * The buckets that may hold policies for this request, plus the scanned
 * policies that really cover it. Policies may repeat across buckets.
 * @internal
 */
export function candidates(index: PolicyIndex, action: string, type: string, field: string): Bucket[] {
  const out: Bucket[] = [];
  collect(index.byAction.get(action), type, field, out);
  collect(index.anyAction, type, field, out);
  if (index.scanned.length > 0) {
    const hits = index.scanned.filter((p) => actionMatches(p, action) && resourceCovered(p, type, field));
    if (hits.length > 0) out.push(hits);
  }
  return out;
}
