/**
 * Adds the fields post-execution rules need to a document, once per plan,
 * under a reserved alias prefix that no client alias uses, so a client can
 * never shadow (or forge) what a rule reads.
 * @module
 */
import { getNamedType, isAbstractType, Kind, visit, type DocumentNode, type FieldNode, type SelectionNode, type SelectionSetNode } from "graphql";
import type { Plan } from "./plan.js";
import { postRulesIn } from "./rules.js";

/** Picks `__gh<n>_` such that no alias or field name in the document starts with it. @internal */
export function choosePrefix(document: DocumentNode): string {
  const used: string[] = [];
  visit(document, {
    Field(node) {
      used.push(node.alias?.value ?? node.name.value);
    },
  });
  let n = 0;
  while (used.some((name) => name.startsWith(`__gh${n}_`))) n++;
  return `__gh${n}_`;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

function aliased(field: FieldNode, prefix: string): FieldNode {
  return { ...field, alias: name(prefix + field.name.value) };
}

/**
 * Returns the document with, in every selection set that selects a field
 * with post rules, an inline fragment on the field's parent type holding the
 * rules' selection sets under aliases, and an aliased `__typename` under
 * every abstract-typed field (to tell concrete types apart in the result).
 * @internal
 */
export function augmentDocument(plan: Plan, prefix: string): DocumentNode {
  const containing = new Map<FieldNode, SelectionSetNode>();
  visit(plan.document, {
    SelectionSet(node) {
      for (const sel of node.selections) if (sel.kind === Kind.FIELD) containing.set(sel, node);
    },
  });
  const additions = new Map<SelectionSetNode, SelectionNode[]>();
  const add = (set: SelectionSetNode, sel: SelectionNode) => {
    const list = additions.get(set);
    if (list) list.push(sel);
    else additions.set(set, [sel]);
  };
  const typename: FieldNode = { kind: Kind.FIELD, alias: name(`${prefix}_typename`), name: name("__typename") };
  const typenameDone = new Set<SelectionSetNode>();
  const seen = new Map<SelectionSetNode, Set<string>>();
  for (const f of plan.all) {
    for (const node of f.nodes) {
      if (f.returnType && isAbstractType(getNamedType(f.returnType)) && node.selectionSet && !typenameDone.has(node.selectionSet)) {
        typenameDone.add(node.selectionSet);
        add(node.selectionSet, typename);
      }
    }
    const selections = f.rules.post.flatMap((r) => postRulesIn(r.rule)).flatMap((r) => r.selections);
    if (selections.length === 0) continue;
    for (const node of f.nodes) {
      const set = containing.get(node);
      const key = `${f.rules.coordinate}`;
      if (!set || seen.get(set)?.has(key)) continue;
      seen.set(set, (seen.get(set) ?? new Set()).add(key));
      add(set, {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: { kind: Kind.NAMED_TYPE, name: name(f.parentType.name) },
        selectionSet: { kind: Kind.SELECTION_SET, selections: selections.map((s) => aliased(s, prefix)) },
      });
    }
  }
  return visit(plan.document, {
    SelectionSet(node) {
      const extra = additions.get(node);
      return extra ? { ...node, selections: [...node.selections, ...extra] } : undefined;
    },
  });
}
