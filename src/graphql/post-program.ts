/**
 * What the post-execution walk does, compiled once per plan: which response
 * positions lead to a field with post rules, which keys were injected for
 * the rules (to show them under their real names and strip them), and which
 * rules can be called directly. Positions with nothing below them are never
 * visited, so a list of rows costs one visit per row where a rule applies.
 * @module
 */
import { getNamedType, isAbstractType, isListType, isNonNullType, type GraphQLOutputType } from "graphql";
import type { NamedRule } from "./field-rules.js";
import type { Plan, PlanField } from "./plan.js";
import type { PostRule } from "./types.js";
import { mayReadArgument } from "./arity.js";

/** One field of a level that has post rules or something below it to visit. @internal */
export interface Step {
  readonly field: PlanField;
  readonly key: string;
  /** The field's own position may not hold null. */
  readonly nonNull: boolean;
  /** Post rules judged per row (in order; the first denial decides). */
  readonly rowRules: readonly NamedRule[];
  /** Batched post rules: judged once for every row that passed `rowRules`. */
  readonly batchRules: readonly NamedRule[];
  /** Has row or batched rules. */
  readonly ruled: boolean;
  /** The single plain post rule of this field, called without the generic evaluator. */
  readonly direct: PostRule | null;
  /** `direct` is internal (a policy's row check): it returns a verdict, not a rule result. */
  readonly internal: boolean;
  /**
   * `direct` may read its `info` argument, so each row gets an info with its
   * own path. False for a plain rule that cannot reach a fifth argument
   * (see `mayReadArgument`): every row shares the field's info.
   */
  readonly rowInfo: boolean;
  /** What to do inside the field's value; `null` when nothing below needs a visit. */
  readonly value: ValueProgram | null;
}

/** The fields of objects of one concrete type at one position. @internal */
export interface LevelProgram {
  readonly steps: readonly Step[];
  /**
   * Injected response keys, the field names rules see them under, and the
   * client's response keys copied into the rule's view of the object;
   * `null` when nothing was injected here.
   */
  readonly injected: {
    readonly keys: readonly string[];
    readonly names: readonly string[];
    readonly viewKeys: readonly string[];
    /**
     * The real names are distinct and none is a key of the client's (or a
     * `__typename` key): the rules may read the response object itself, with
     * the injected values moved to their real names (see post-view.ts).
     */
    readonly inPlace: boolean;
  } | null;
}

/** A field value: a list of values, or objects (of one or several concrete types). @internal */
export type ValueProgram =
  | { readonly kind: "list"; readonly itemNonNull: boolean; readonly item: ValueProgram }
  | {
      readonly kind: "object";
      /** Concrete type name -> program; for object types, the one entry. */
      readonly byType: ReadonlyMap<string, LevelProgram>;
      /** Set for abstract types: the injected key holding `__typename` (stripped from the response). */
      readonly typeKey: string | null;
      readonly single: LevelProgram | null;
    };

/** The compiled walk of a plan. @internal */
export interface PostProgram {
  readonly root: LevelProgram | null;
  /** Every step with batched rules, for the once-per-field calls after the walk. */
  readonly batched: readonly Step[];
  /** Every step with post rules, for audit of allowed decisions. */
  readonly ruled: readonly Step[];
  /** Some position holds keys injected for the rules, which the walk must strip. */
  readonly injects: boolean;
}

const programs = new WeakMap<Plan, PostProgram>();

/** The plan's walk, compiled on first use. @internal */
export function postProgram(plan: Plan): PostProgram {
  let program = programs.get(plan);
  if (!program) programs.set(plan, (program = compile(plan)));
  return program;
}

function compile(plan: Plan): PostProgram {
  const aug = plan.post;
  const batched: Step[] = [];
  const ruled: Step[] = [];
  const typeKey = aug?.typenameKey ?? null;
  let injects = false;

  const level = (
    fields: readonly PlanField[],
    injected: ReadonlyArray<readonly [string, string]> | undefined,
    typenameKeys: readonly string[] | undefined,
  ): LevelProgram | null => {
    // A rule used on several fields of one object goes through the evaluator
    // (cached per field and object, since each field has its own value).
    const uses = new Map<unknown, number>();
    for (const f of fields) for (const r of f.rules.post) uses.set(r.rule, (uses.get(r.rule) ?? 0) + 1);
    const steps: Step[] = [];
    for (const f of fields) {
      const value = f.children && f.returnType ? valueOf(f, f.returnType) : null;
      const post = f.rules.post;
      if (post.length === 0 && !value) continue;
      const batchRules = post.filter((r) => r.rule.kind === "post" && r.rule.batch);
      const rowRules = post.filter((r) => !(r.rule.kind === "post" && r.rule.batch));
      const only = rowRules.length === 1 ? rowRules[0]!.rule : null;
      const direct = only?.kind === "post" && uses.get(only) === 1 ? only : null;
      const internal = !!direct && (direct.prepare !== undefined || direct.judge !== undefined);
      const step: Step = {
        field: f,
        key: f.responseKey,
        nonNull: !!f.returnType && isNonNullType(f.returnType),
        rowRules,
        batchRules,
        ruled: post.length > 0,
        direct,
        internal,
        rowInfo: internal || readsInfo(direct),
        value,
      };
      steps.push(step);
      if (batchRules.length > 0) batched.push(step);
      if (post.length > 0) ruled.push(step);
    }
    if (steps.length === 0 && !injected?.length) return null;
    if (!injected?.length) return { steps, injected: null };
    injects = true;
    const viewKeys = [...new Set([...fields.map((f) => f.responseKey), ...(typenameKeys ?? [])])];
    const keys = injected.map((i) => i[0]);
    const names = injected.map((i) => i[1]);
    const taken = new Set([...viewKeys, ...keys, ...(typeKey === null ? [] : [typeKey])]);
    const inPlace = new Set(names).size === names.length && !names.some((n) => taken.has(n));
    return { steps, injected: { keys, names, viewKeys, inPlace } };
  };

  const valueOf = (f: PlanField, type: GraphQLOutputType): ValueProgram | null => {
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      const itemType = inner.ofType as GraphQLOutputType;
      const item = valueOf(f, itemType);
      return item && { kind: "list", itemNonNull: isNonNullType(itemType), item };
    }
    const byType = new Map<string, LevelProgram>();
    for (const [typeName, kids] of f.children ?? []) {
      const program = level(kids, f.injected?.get(typeName), f.typenameKeys?.get(typeName));
      if (program) byType.set(typeName, program);
    }
    const abstract = isAbstractType(getNamedType(inner));
    if (abstract && typeKey !== null) injects = true;
    // Under abstract types the injected __typename must be stripped even where no rule applies.
    if (byType.size === 0 && !(abstract && typeKey !== null && subtreeHasPost(f))) return null;
    return { kind: "object", byType, typeKey: abstract ? typeKey : null, single: abstract ? null : (byType.values().next().value ?? null) };
  };

  const root = aug ? level(plan.roots, aug.rootInjected, aug.rootTypenameKeys) : null;
  return { root, batched, ruled, injects };
}

/** Can a plain post rule see its fifth argument (`info`)? */
function readsInfo(rule: PostRule | null): boolean {
  return !rule || mayReadArgument(rule.fn, 4);
}

/** True when a post rule applies at or below `f` (where the document carries injected keys). @internal */
export function subtreeHasPost(f: PlanField): boolean {
  if (!f.children) return false;
  for (const kids of f.children.values()) {
    for (const k of kids) if (k.rules.post.length > 0 || subtreeHasPost(k)) return true;
  }
  return false;
}
