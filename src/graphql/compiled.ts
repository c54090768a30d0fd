/**
 * Opt-in compiled execution: a plan's document (with what post rules need
 * injected) is compiled once by a query compiler the application passes in
 * (graphql-jit's `compileQuery`), then every request of that plan runs the
 * compiled code instead of graphql-js `execute`. gatehouse does not depend on
 * the compiler; it only calls it. Requests with something denied before
 * execution, or with custom field or type resolvers, still run on graphql-js.
 * @module
 */
import { Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionNode, type SelectionSetNode } from "graphql";
import type { Plan } from "./plan.js";
import type { PromiseOrValue } from "./types.js";

/** A compiled operation, as graphql-jit's `compileQuery` returns it. */
export interface CompiledQueryLike {
  query(root: unknown, context: unknown, variables: Record<string, unknown> | null | undefined): PromiseOrValue<ExecutionResult>;
}

/**
 * Compiles one operation of a document, e.g. graphql-jit's `compileQuery`.
 * Returns the compiled query, or a result with errors when it cannot compile
 * (the request then runs on graphql-js).
 */
export type QueryCompiler = (schema: GraphQLSchema, document: DocumentNode, operationName?: string) => CompiledQueryLike | ExecutionResult;

/**
 * Compiled queries by plan: `null` when the compiler refused the document, a
 * number (requests so far) while the plan has not been seen often enough.
 */
const compiled = new WeakMap<Plan, CompiledQueryLike | null | number>();

/**
 * A plan is compiled on its second request: compiling costs milliseconds,
 * so a document sent once (a one-off, or a flood of distinct documents) never
 * pays for it.
 */
const COMPILE_AFTER = 1;

function compiledFor(compiler: QueryCompiler, schema: GraphQLSchema, plan: Plan): CompiledQueryLike | null {
  const known = compiled.get(plan);
  if (known === null || typeof known === "object") return known;
  const seen = known ?? 0;
  if (seen < COMPILE_AFTER) {
    compiled.set(plan, seen + 1);
    return null;
  }
  let out: CompiledQueryLike | ExecutionResult | null;
  try {
    out = compiler(schema, perPosition(plan.document, plan.operation), plan.operation.name?.value);
  } catch {
    // A compiler that throws must not fail the request: graphql-js runs it.
    out = null;
  }
  const query = out !== null && typeof (out as CompiledQueryLike).query === "function" ? (out as CompiledQueryLike) : null;
  compiled.set(plan, query);
  return query;
}

/**
 * The operation with every fragment spread replaced by an inline fragment
 * holding its own copy of the fragment's selections, and every node new: no
 * node is reached at two positions, or shared with another document. A
 * compiler may keep @skip/@include per node (graphql-jit joins the conditions
 * of every position a node is reached at), and would then leave a field out
 * where graphql-js includes it.
 */
function perPosition(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const copySet = (set: SelectionSetNode, stack: readonly string[]): SelectionSetNode => ({
    kind: Kind.SELECTION_SET,
    selections: set.selections.flatMap((sel) => copy(sel, stack)),
    loc: set.loc,
  });
  const copy = (sel: SelectionNode, stack: readonly string[]): SelectionNode[] => {
    if (sel.kind === Kind.FIELD) {
      const { alias, name, arguments: args, directives, loc } = sel;
      return [{ kind: Kind.FIELD, alias, name, arguments: args, directives, loc, selectionSet: sel.selectionSet && copySet(sel.selectionSet, stack) }];
    }
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      return [{ kind: Kind.INLINE_FRAGMENT, typeCondition: sel.typeCondition, directives: sel.directives, loc: sel.loc, selectionSet: copySet(sel.selectionSet, stack) }];
    }
    const fragment = fragments.get(sel.name.value);
    // An unknown or cyclic spread selects nothing, as in graphql-js.
    if (!fragment || stack.includes(fragment.name.value)) return [];
    const selectionSet = copySet(fragment.selectionSet, [...stack, fragment.name.value]);
    return [{ kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: sel.directives, loc: sel.loc, selectionSet }];
  };
  return { kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet: copySet(operation.selectionSet, []) }], loc: document.loc };
}

/**
 * Runs the plan's document with the compiled query when a compiler is set and
 * the request can use it; `null` means "run graphql-js". @internal
 */
export function runCompiled(compiler: QueryCompiler | null, schema: GraphQLSchema, plan: Plan, args: ExecutionArgs): PromiseOrValue<ExecutionResult> | null {
  // Custom resolvers passed to execute are graphql-js options a compiled query does not take.
  if (compiler === null || args.fieldResolver || args.typeResolver) return null;
  const query = compiledFor(compiler, schema, plan);
  return query === null ? null : query.query(args.rootValue, args.contextValue, args.variableValues);
}
