/**
 * Plans cached per (document object, operationName): a WeakMap by document
 * (so dropped documents are collected) bounded by an LRU over all entries.
 * @module
 */
import { Kind, OverlappingFieldsCanBeMergedRule, validate, type ASTNode, type DocumentNode, type GraphQLSchema } from "graphql";
import type { FieldRules } from "./field-rules.js";
import { augmentDocument, choosePrefix } from "./inject.js";
import { Lru } from "../core/lru.js";
import { compilePlan, type Plan, type PlanField } from "./plan.js";
import type { GraphQLObjectType } from "graphql";

interface Entry {
  readonly plan: Plan | null;
  readonly token: { readonly document: DocumentNode; readonly key: string };
}

/** @internal */
export interface PlanCache {
  get(document: DocumentNode, operationName: string | null | undefined): Plan | null;
}

/** @internal */
export function createPlanCache(
  size: number,
  schema: GraphQLSchema,
  rulesFor: (type: GraphQLObjectType, fieldName: string) => FieldRules,
  introspectionRules: FieldRules,
): PlanCache {
  const byDocument = new WeakMap<DocumentNode, Map<string, Entry>>();
  const lru = new Lru<Entry["token"], true>(size, (token) => byDocument.get(token.document)?.delete(token.key));

  const compile = (document: DocumentNode, operationName: string | null | undefined): Plan | null => {
    const plan = compilePlan(schema, document, operationName, rulesFor, introspectionRules);
    if (!plan?.hasPost) return plan;
    // Post rules: inject their selection sets once, then plan the augmented
    // document. Two variants: "lean" reads what the client already selected,
    // "full" injects every rule input and runs when a reused field is not served.
    const prefix = choosePrefix(document);
    const augmented = augmentDocument(plan, prefix, false).document;
    refuseConflictingInputs(schema, augmented, prefix);
    const full = compilePlan(schema, augmented, operationName, rulesFor, introspectionRules, prefix)!;
    const lean = augmentDocument(plan, prefix, true);
    if (lean.reused.length === 0) return full;
    const leanPlan = compilePlan(schema, lean.document, operationName, rulesFor, introspectionRules, prefix)!;
    const key = (f: PlanField) => `${f.parentType.name}\u0000${f.path.join(".")}`;
    const byKey = new Map(leanPlan.all.map((f) => [key(f), f]));
    const guards = lean.reused.map((f) => byKey.get(key(f))).filter((f): f is PlanField => f !== undefined);
    // A reused field missing from the lean plan would be a planning bug: never run on a guess.
    if (guards.length !== lean.reused.length) return full;
    return Object.freeze({ ...leanPlan, guards, fallback: full });
  };

  return {
    get(document, operationName) {
      const key = operationName ?? "";
      let perDoc = byDocument.get(document);
      const hit = perDoc?.get(key);
      if (hit) {
        lru.get(hit.token);
        return hit.plan;
      }
      const entry: Entry = { plan: compile(document, operationName), token: { document, key } };
      if (!perDoc) byDocument.set(document, (perDoc = new Map()));
      perDoc.set(key, entry);
      lru.set(entry.token, true);
      return entry.plan;
    },
  };
}

/**
 * Two rules on one object that read the same field with different arguments
 * (or sub-selections that cannot merge) would share one injected key, and
 * graphql-js would fetch it for only one of them: the other rule would judge
 * a value it did not ask for. The client's fields cannot clash with the
 * reserved aliases, so an overlap that involves one is between rule
 * inputs: a set-up error, refused rather than run. (A document the server
 * did not validate may clash on its own; that is left to graphql-js.)
 */
function refuseConflictingInputs(schema: GraphQLSchema, augmented: DocumentNode, prefix: string): void {
  // Only clashes between injected fields count: the client's own are graphql-js's to report (validation).
  const injected = (node: ASTNode) => node.kind === Kind.FIELD && node.alias?.value.startsWith(prefix) === true;
  const conflicts = validate(schema, augmented, [OverlappingFieldsCanBeMergedRule]).filter((e) => e.nodes?.some(injected));
  if (conflicts.length === 0) return;
  throw new TypeError(
    `createAuthz: post rules on one type read the same field in ways that cannot be fetched together (e.g. with different arguments), so this operation is refused: ${conflicts[0]!.message} Make their selectionSets read that field alike.`,
  );
}
