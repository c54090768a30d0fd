/**
 * Denials of nullable fields on the gated schema travel beside graphql-js's
 * errors rather than through them: graphql-js throws a resolver's returned
 * error and catches it again, which costs more than the rest of a denied
 * row. The field resolves to null either way; after execution the two lists
 * are merged in document order, the order in which synchronous execution
 * reports errors. Kept as graphql-js keeps a nullable field's error, even
 * where a later error nulls an enclosing position.
 * @module
 */
import type { ExecutionResult, GraphQLError } from "graphql";

/** `res` with `denials` merged into its errors. @internal */
export function withDenials(res: ExecutionResult, denials: readonly GraphQLError[]): ExecutionResult {
  if (denials.length === 0) return res;
  const errors = res.errors ?? [];
  return { ...res, errors: errors.length === 0 ? [...denials] : merge(errors, denials, res.data) };
}

/** Both lists keep their own order; on a tie or an order that cannot be told, graphql-js's error comes first. */
function merge(theirs: readonly GraphQLError[], ours: readonly GraphQLError[], data: unknown): GraphQLError[] {
  const out: GraphQLError[] = [];
  let i = 0;
  let j = 0;
  while (i < theirs.length && j < ours.length) {
    if (comesBefore(ours[j]!, theirs[i]!, data)) out.push(ours[j++]!);
    else out.push(theirs[i++]!);
  }
  while (i < theirs.length) out.push(theirs[i++]!);
  while (j < ours.length) out.push(ours[j++]!);
  return out;
}

/**
 * Is the position of error `ea` before that of `eb` in document order? List
 * items by index; fields of one object by the order of its keys in the
 * result (graphql-js adds them in document order), or, where a later error
 * nulled that object, by where the fields stand in the document; an
 * enclosing position first.
 */
function comesBefore(ea: GraphQLError, eb: GraphQLError, data: unknown): boolean {
  const a = ea.path;
  const b = eb.path;
  if (!a || !b) return false;
  let parent = data;
  for (let k = 0; k < a.length && k < b.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x !== y) {
      if (typeof x === "number" && typeof y === "number") return x < y;
      if (typeof x !== "string" || typeof y !== "string") return false;
      if (typeof parent !== "object" || parent === null) return inDocumentBefore(ea, eb);
      const keys = Object.keys(parent);
      const at = keys.indexOf(x);
      const bt = keys.indexOf(y);
      return at >= 0 && bt >= 0 && at < bt;
    }
    parent = typeof parent === "object" && parent !== null ? (parent as Record<string | number, unknown>)[x] : undefined;
  }
  return a.length < b.length;
}

/** Sibling fields whose object was nulled: by where they stand in the document. */
function inDocumentBefore(a: GraphQLError, b: GraphQLError): boolean {
  const la = a.locations?.[0];
  const lb = b.locations?.[0];
  if (!la || !lb) return false;
  return la.line < lb.line || (la.line === lb.line && la.column < lb.column);
}
