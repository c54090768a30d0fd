/**
 * Parses a post rule's `selectionSet` option: fields, nested fields and
 * inline fragments (`{ id ... on SubType1 { testField1 } }`). Named fragment
 * spreads are refused: the rule has no document to take them from.
 * @module
 */
import { getNamedType, isCompositeType, isInterfaceType, isObjectType, Kind, parse, type GraphQLNamedType, type GraphQLSchema, type SelectionNode } from "graphql";

function check(node: SelectionNode): void {
  if (node.kind === Kind.FRAGMENT_SPREAD) throw new Error("named fragments are not supported");
  if (node.kind === Kind.FIELD && node.alias) throw new Error("aliases are not supported");
  node.selectionSet?.selections.forEach(check);
}

/** `"{ status author { id } }"` as selection nodes. @internal */
export function parseSelectionSet(source: string, where = "postExecRule"): SelectionNode[] {
  try {
    const doc = parse(source.trim().startsWith("{") ? source : `{ ${source} }`);
    const op = doc.definitions[0];
    if (doc.definitions.length !== 1 || op?.kind !== Kind.OPERATION_DEFINITION) throw new Error("not a selection set");
    op.selectionSet.selections.forEach(check);
    return [...op.selectionSet.selections];
  } catch {
    throw new TypeError(`${where}: \`selectionSet\` must look like "{ status author { id } ... on Admin { level } }" (fields and inline fragments), got ${JSON.stringify(source)}.`);
  }
}

/**
 * Checks a rule's selections against the type they are read from: every
 * field exists, every fragment names a type of the schema. @internal
 */
export function checkSelections(schema: GraphQLSchema, type: GraphQLNamedType, selections: readonly SelectionNode[]): string | null {
  for (const sel of selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type;
      if (!cond || !isCompositeType(cond)) return `a fragment on "${sel.typeCondition?.name.value}", which is not an object, interface or union type of the schema`;
      const problem = checkSelections(schema, cond, sel.selectionSet.selections);
      if (problem) return problem;
    } else if (sel.kind === Kind.FIELD) {
      if (sel.name.value === "__typename") continue;
      const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[sel.name.value] : undefined;
      if (!field) return `"${sel.name.value}", which ${type.name} does not have`;
      if (sel.selectionSet) {
        const problem = checkSelections(schema, getNamedType(field.type), sel.selectionSet.selections);
        if (problem) return problem;
      }
    }
  }
  return null;
}
