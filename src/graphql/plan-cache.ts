/**
 * Plans cached per (document object, operationName): a WeakMap by document
 * (so dropped documents are collected) bounded by an LRU over all entries.
 * @module
 */
import type { DocumentNode, GraphQLSchema } from "graphql";
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
    const full = compilePlan(schema, augmentDocument(plan, prefix, false).document, operationName, rulesFor, introspectionRules, prefix)!;
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
