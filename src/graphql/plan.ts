/**
 * Compiles an operation into a plan: every field coordinate it may touch
 * (fragments and abstract types expanded per concrete type), with its
 * rules, its FieldNodes and the @skip/@include conditions on its path.
 * Variables are not needed: conditions and arguments are resolved per request.
 * @module
 */
import {
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { FieldRules } from "./field-rules.js";
import { ALLOW, resourceOf } from "./evaluate.js";
import { constantDecision, type FieldDecision } from "./pre-check.js";

/** A node whose @skip/@include must pass for a field to be included. @internal */
export type Condition = FieldNode | InlineFragmentNode | FragmentSpreadNode;

/** Arguments known at compile time (no variables). @internal */
export interface StaticArgs {
  readonly values: Record<string, unknown>;
  readonly key: string;
}

/** A field whose only pre-execution rule is `policy()`. @internal */
export interface SoloPolicy {
  readonly resource: string;
  readonly rule: string;
  readonly allowed: FieldDecision;
}

/** One response position (per concrete parent type) of the operation. @internal */
export interface PlanField {
  /** Position in `Plan.all`: per-request state is kept in arrays indexed by it. */
  readonly index: number;
  /** The enclosing plan field; `null` at the root. */
  readonly parent: PlanField | null;
  readonly parentType: GraphQLObjectType;
  readonly fieldName: string;
  readonly responseKey: string;
  /** `null` for the introspection root fields `__schema` / `__type`. */
  readonly field: GraphQLField<unknown, unknown> | null;
  readonly rules: FieldRules;
  readonly nodes: readonly FieldNode[];
  /** Per node, the nodes whose @skip/@include must all pass. */
  readonly conds: ReadonlyArray<readonly Condition[]>;
  /** False when some node is included unconditionally. */
  readonly conditional: boolean;
  /** Response keys from the root, without list indices. */
  readonly path: readonly string[];
  readonly staticArgs: StaticArgs | null;
  /** The pre-execution decision when it needs no evaluation (see `constantDecision`). */
  readonly constant: FieldDecision | null;
  /** When the field's only pre-execution rule is `policy()`: its resource, and the decision when it allows. */
  readonly soloPolicy: SoloPolicy | null;
  readonly returnType: GraphQLOutputType | null;
  /** Child fields by concrete type name; null for leaves. */
  readonly children: ReadonlyMap<string, readonly PlanField[]> | null;
  /** Fields injected for post rules into this field's selection, by concrete type name: `[alias, field name]`. */
  readonly injected: ReadonlyMap<string, ReadonlyArray<readonly [string, string]>> | null;
  /** Response keys of the client's `__typename` selections below this field, by concrete type name. */
  readonly typenameKeys: ReadonlyMap<string, readonly string[]> | null;
}

/** A compiled operation. @internal */
export interface Plan {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly action: "query" | "mutation" | "subscription";
  readonly rootType: GraphQLObjectType;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly roots: readonly PlanField[];
  /** Every plan field, parents before children. */
  readonly all: readonly PlanField[];
  readonly hasPost: boolean;
  /** Some field has rules judged inside its resolver: the operation runs gated. */
  readonly hasSource: boolean;
  readonly hasIntrospection: boolean;
  /** Some field carries @skip/@include: inclusion is decided per request. */
  readonly hasConditional: boolean;
  /** Set when the document was augmented for post-execution rules. */
  readonly post: PostAugmentation | null;
  /**
   * Client fields that post rules read in place of injected copies: when one
   * of them is skipped, or anything is denied, in a request, `fallback`
   * (every rule input injected) runs instead.
   */
  readonly guards: readonly PlanField[];
  readonly fallback: Plan | null;
}

/** Fields added for post-execution rules under a reserved alias prefix. @internal */
export interface PostAugmentation {
  /** e.g. `__gh0_`; chosen so that no client alias starts with it. */
  readonly prefix: string;
  /** Alias of the injected `__typename` under abstract types. */
  readonly typenameKey: string;
  /** Every injected FieldNode, nested ones included: executed without checks, never returned. */
  readonly injected: ReadonlySet<FieldNode>;
  /** Fields injected at the root level: `[alias, field name]`. */
  readonly rootInjected: ReadonlyArray<readonly [string, string]>;
  /** Response keys of the client's root-level `__typename` selections. */
  readonly rootTypenameKeys: readonly string[];
}

interface Ctx {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  rulesFor: (type: GraphQLObjectType, fieldName: string) => FieldRules;
  introspectionRules: FieldRules;
  all: PlanField[];
  prefix: string | null;
  injected: Set<FieldNode>;
  /** Injected `[alias, name]` pairs of the level being compiled, keyed by the level's field list. */
  levelInjections: Map<PlanField[], Array<[string, string]>>;
  /** Response keys of `__typename` selections of each level. */
  levelTypenames: Map<PlanField[], string[]>;
}

/** Finds the operation like graphql-js does; `null` when it cannot be executed. @internal */
export function findOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | null {
  let found: OperationDefinitionNode | null = null;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName == null) {
      if (found) return null;
      found = def;
    } else if (def.name?.value === operationName) {
      return def;
    }
  }
  return found;
}

/** Compiles a plan, or returns `null` when graphql-js would refuse the operation anyway. @internal */
export function compilePlan(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rulesFor: Ctx["rulesFor"],
  introspectionRules: FieldRules,
  prefix: string | null = null,
): Plan | null {
  const operation = findOperation(document, operationName);
  if (!operation) return null;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return null;
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  const ctx: Ctx = { schema, fragments, rulesFor, introspectionRules, all: [], prefix, injected: new Set(), levelInjections: new Map(), levelTypenames: new Map() };
  const roots = level(ctx, rootType, [{ set: operation.selectionSet, conds: [] }], null, true);
  return Object.freeze({
    document,
    operation,
    action: operation.operation,
    rootType,
    fragments,
    roots,
    all: ctx.all,
    hasPost: ctx.all.some((f) => f.rules.post.length > 0),
    hasSource: ctx.all.some((f) => f.rules.source.length > 0),
    hasIntrospection: roots.some((f) => f.field === null),
    hasConditional: ctx.all.some((f) => f.conditional),
    post: prefix === null ? null : { prefix, typenameKey: `${prefix}_typename`, injected: ctx.injected, rootInjected: ctx.levelInjections.get(roots) ?? [], rootTypenameKeys: ctx.levelTypenames.get(roots) ?? [] },
    guards: [],
    fallback: null,
  });
}

interface Collected {
  name: string;
  nodes: FieldNode[];
  conds: Condition[][];
}

const hasConditions = (node: Condition): boolean =>
  node.directives?.some((d) => d.name.value === "skip" || d.name.value === "include") ?? false;

function typeMatches(ctx: Ctx, type: GraphQLObjectType, condition: string | undefined): boolean {
  if (condition === undefined || condition === type.name) return true;
  const cond = ctx.schema.getType(condition);
  return cond !== undefined && isAbstractType(cond) && ctx.schema.isSubType(cond, type);
}

// Like graphql-js collectFields, but keeps every branch (conditions are
// decided per request) and guards fragment cycles by the current path only.
function collect(ctx: Ctx, type: GraphQLObjectType, set: SelectionSetNode, conds: Condition[], out: Map<string, Collected>, stack: string[]): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      let entry = out.get(key);
      if (!entry) out.set(key, (entry = { name: sel.name.value, nodes: [], conds: [] }));
      entry.nodes.push(sel);
      entry.conds.push(hasConditions(sel) ? [...conds, sel] : conds);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!typeMatches(ctx, type, sel.typeCondition?.name.value)) continue;
      collect(ctx, type, sel.selectionSet, hasConditions(sel) ? [...conds, sel] : conds, out, stack);
    } else {
      const frag = ctx.fragments[sel.name.value];
      if (!frag || stack.includes(frag.name.value) || !typeMatches(ctx, type, frag.typeCondition.name.value)) continue;
      collect(ctx, type, frag.selectionSet, hasConditions(sel) ? [...conds, sel] : conds, out, [...stack, frag.name.value]);
    }
  }
}

function level(
  ctx: Ctx,
  type: GraphQLObjectType,
  sets: ReadonlyArray<{ set: SelectionSetNode; conds: readonly Condition[] }>,
  parent: PlanField | null,
  isRoot: boolean,
): PlanField[] {
  const path = parent?.path ?? [];
  const collected = new Map<string, Collected>();
  for (const { set, conds } of sets) collect(ctx, type, set, [...conds], collected, []);
  const out: PlanField[] = [];
  const typenameKeys: string[] = [];
  ctx.levelTypenames.set(out, typenameKeys);
  for (const [responseKey, c] of collected) {
    if (c.name === "__typename") {
      // Not a rule position, but a key of the response object: post rules' views copy it.
      if (ctx.prefix === null || !responseKey.startsWith(ctx.prefix)) typenameKeys.push(responseKey);
      continue;
    }
    if (ctx.prefix !== null && responseKey.startsWith(ctx.prefix)) {
      c.nodes.forEach((n) => markInjected(n, ctx.injected));
      const list = ctx.levelInjections.get(out);
      if (list) list.push([responseKey, c.name]);
      else ctx.levelInjections.set(out, [[responseKey, c.name]]);
      continue;
    }
    const meta = isRoot && type === ctx.schema.getQueryType() && (c.name === "__schema" || c.name === "__type");
    const field = meta ? null : type.getFields()[c.name];
    // Unknown fields are skipped by graphql-js too (the document was not validated).
    if (!meta && !field) continue;
    const fieldPath = [...path, responseKey];
    const rules = meta ? ctx.introspectionRules : ctx.rulesFor(type, c.name);
    const planField: PlanField & {
      children: Map<string, PlanField[]> | null;
      injected: Map<string, Array<readonly [string, string]>> | null;
      typenameKeys: Map<string, readonly string[]> | null;
    } = {
      index: ctx.all.length,
      parent,
      parentType: type,
      fieldName: c.name,
      responseKey,
      field: field ?? null,
      rules,
      nodes: c.nodes,
      conds: c.conds,
      conditional: !c.conds.some((l) => l.length === 0),
      path: fieldPath,
      staticArgs: field ? staticArgs(field, c.nodes[0]!) : null,
      constant: constantDecision(rules.pre),
      soloPolicy: soloPolicy(rules, type.name, c.name),
      returnType: field?.type ?? null,
      children: null,
      injected: null,
      typenameKeys: null,
    };
    ctx.all.push(planField);
    out.push(planField);
    // Fields of introspection types are not subject to rules.
    if (!field) continue;
    const named = getNamedType(field.type);
    const subSets = c.nodes.flatMap((n, i) => (n.selectionSet ? [{ set: n.selectionSet, conds: c.conds[i]! }] : []));
    if (subSets.length === 0) continue;
    const concrete = isObjectType(named) ? [named] : isAbstractType(named) ? ctx.schema.getPossibleTypes(named) : [];
    const children = new Map<string, PlanField[]>();
    for (const t of concrete) {
      const fields = level(ctx, t, subSets, planField, false);
      children.set(t.name, fields);
      const injected = ctx.levelInjections.get(fields);
      if (injected) (planField.injected ??= new Map()).set(t.name, injected);
      const typenames = ctx.levelTypenames.get(fields);
      if (typenames?.length) (planField.typenameKeys ??= new Map()).set(t.name, typenames);
    }
    planField.children = children;
  }
  return out;
}

function soloPolicy(rules: FieldRules, typeName: string, fieldName: string): SoloPolicy | null {
  const only = rules.pre.length === 1 ? rules.pre[0]! : null;
  if (only?.rule.kind !== "policy") return null;
  return Object.freeze({ resource: resourceOf(typeName, fieldName), rule: only.name, allowed: Object.freeze({ verdict: ALLOW, rule: only.name }) });
}

function staticArgs(field: GraphQLField<unknown, unknown>, node: FieldNode): StaticArgs | null {
  if (field.args.length === 0) return EMPTY_ARGS;
  if (JSON.stringify(node.arguments ?? []).includes('"Variable"')) return null;
  try {
    const values = getArgumentValues(field, node, {});
    return { values, key: JSON.stringify(values) };
  } catch {
    return null;
  }
}

const EMPTY_ARGS: StaticArgs = Object.freeze({ values: Object.freeze({}) as Record<string, unknown>, key: "{}" });

function markInjected(node: FieldNode, into: Set<FieldNode>): void {
  into.add(node);
  markSelections(node.selectionSet, into);
}

// Fields inside a rule's inline fragments are injected too (executed without checks, never returned).
function markSelections(set: SelectionSetNode | undefined, into: Set<FieldNode>): void {
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD) markInjected(sel, into);
    else if (sel.kind === Kind.INLINE_FRAGMENT) markSelections(sel.selectionSet, into);
  }
}
