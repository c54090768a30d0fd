/**
 * Adds the fields post-execution rules need to a document, once per plan,
 * under a reserved alias prefix that no client alias uses, so a client can
 * never shadow (or forge) what a rule reads.
 * @module
 */
import { getNamedType, isAbstractType, Kind, visit, type DocumentNode, type FieldNode, type SelectionNode, type SelectionSetNode } from "graphql";
import type { Plan, PlanField } from "./plan.js";
import { subtreeHasPost } from "./post-program.js";
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

/**
 * A copy of an AST subtree that shares no node with any other position or
 * document. A query compiler may annotate the nodes it compiles (graphql-jit
 * writes each field's @skip/@include conditions onto its FieldNode): a rule's
 * selection shared between positions would carry another position's
 * conditions, and the rule would judge a row without the fields it reads.
 */
function fresh<T>(node: T): T {
  if (Array.isArray(node)) return node.map(fresh) as T;
  if (typeof node !== "object" || node === null || !("kind" in node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = fresh(value);
  return out as T;
}

/**
 * A rule's selection under the reserved prefix: top-level fields aliased,
 * fields of a top-level inline fragment too (its type condition is left to
 * graphql-js, which skips it where it does not apply). Nested selections
 * keep their names: they live under an aliased field no client can select.
 */
function aliased(sel: SelectionNode, prefix: string): SelectionNode {
  if (sel.kind === Kind.FIELD) return { ...fresh(sel), alias: name(prefix + sel.name.value) };
  if (sel.kind === Kind.INLINE_FRAGMENT) {
    return { ...sel, selectionSet: { ...sel.selectionSet, selections: sel.selectionSet.selections.map((s) => aliased(s, prefix)) } };
  }
  return sel;
}

/** A document augmented for post rules, and the client fields it reads instead of injecting. @internal */
export interface Augmented {
  readonly document: DocumentNode;
  /**
   * Client fields a rule reads in place of an injected copy. They stand in
   * only when they are included and allowed in the request; otherwise the
   * fully injected variant runs, so a rule never sees a value withheld from the client.
   */
  readonly reused: readonly PlanField[];
}

/**
 * The client field that already holds what a rule's selection asks for, with
 * the fields below it that it relies on; `null` when the rule needs its own copy.
 * Only an unaliased field of the same name with no arguments or directives
 * qualifies, so a client alias can never stand in for what a rule reads.
 * Another client field below it may fail and null it during execution: the
 * request then runs again on the variant that injects every input (see
 * `nullsReused` in execute.ts), so a rule never judges such a null.
 */
function reusable(sel: FieldNode, siblings: readonly PlanField[]): PlanField[] | null {
  if ((sel.alias && sel.alias.value !== sel.name.value) || sel.arguments?.length || sel.directives?.length) return null;
  const name = sel.name.value;
  const field = siblings.find((f) => f.responseKey === name);
  if (!field || field.fieldName !== name || field.conditional || field.field === null) return null;
  // A directive of the client's (a server may let it reshape the value) is never trusted either.
  if (field.nodes.some((n) => n.name.value !== name || (n.arguments?.length ?? 0) > 0 || (n.directives?.length ?? 0) > 0)) return null;
  if (!sel.selectionSet) return field.children === null ? [field] : null;
  if (!field.children || field.children.size === 0) return null;
  const out = [field];
  for (const kids of field.children.values()) {
    for (const sub of sel.selectionSet.selections) {
      const below = sub.kind === Kind.FIELD ? reusable(sub, kids) : null;
      if (!below) return null;
      out.push(...below);
    }
  }
  return out;
}

function siblingsOf(plan: Plan, f: PlanField): readonly PlanField[] {
  return f.parent === null ? plan.roots : (f.parent.children?.get(f.parentType.name) ?? []);
}

/**
 * Returns the document with, in every selection set that selects a field
 * with post rules, an inline fragment on the field's parent type holding the
 * rules' selection sets under aliases, and an aliased `__typename` under
 * every abstract-typed field (to tell concrete types apart in the result).
 * With `reuse`, a selection the client already made (see {@link reusable})
 * is read from the client's field instead of being injected again.
 * @internal
 */
export function augmentDocument(plan: Plan, prefix: string, reuse: boolean): Augmented {
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
  const reused = new Set<PlanField>();
  for (const f of plan.all) {
    for (const node of f.nodes) {
      // Concrete types are told apart only where the walk after execution goes.
      if (f.returnType && isAbstractType(getNamedType(f.returnType)) && node.selectionSet && !typenameDone.has(node.selectionSet) && subtreeHasPost(f)) {
        typenameDone.add(node.selectionSet);
        add(node.selectionSet, fresh(typename));
      }
    }
    let selections = f.rules.post.flatMap((r) => postRulesIn(r.rule)).flatMap((r) => r.selections);
    if (reuse) {
      selections = selections.filter((sel) => {
        // A fragment is never read from the client's selection: it is always injected.
        const from = sel.kind === Kind.FIELD ? reusable(sel, siblingsOf(plan, f)) : null;
        from?.forEach((g) => reused.add(g));
        return from === null;
      });
    }
    if (selections.length === 0) continue;
    // A root field's "parent" is the operation itself: injecting a sibling root field into a
    // mutation would run another mutation to feed a rule (and break a subscription's single root).
    if (f.parent === null && plan.action !== "query") {
      throw new TypeError(`createAuthz: the post rule on ${f.rules.coordinate} has a selectionSet, which would select other ${plan.action} fields to feed it; a rule on a ${plan.action} root field reads no parent object, so drop its selectionSet.`);
    }
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
  const document = additions.size === 0 ? plan.document : visit(plan.document, {
    SelectionSet(node) {
      const extra = additions.get(node);
      return extra ? { ...node, selections: [...node.selections, ...extra] } : undefined;
    },
  });
  return { document, reused: [...reused] };
}
