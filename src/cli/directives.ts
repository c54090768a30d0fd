/**
 * The gatehouse directives as the CLI sees them: declared when an
 * SDL file does not declare them, and read back into rule usages.
 * @module
 */
import { Kind, parse, print } from "graphql";
import type { ConstDirectiveNode, DocumentNode, ValueNode } from "graphql";
import { authzDirectiveTypeDefs } from "../graphql/index.js";

/**
 * The SDL of each gatehouse directive, by name, from `gatehouse/graphql`.
 * (Its `[String!]!` rule lists accept bare names too: graphql-js does not
 * type-check directive values in SDL.)
 */
const DIRECTIVE_SDL: ReadonlyMap<string, string> = new Map(
  parse(authzDirectiveTypeDefs).definitions.flatMap((d) => (d.kind === Kind.DIRECTIVE_DEFINITION ? [[d.name.value, print(d)] as const] : [])),
);

/** Declarations of the gatehouse directives that `document` does not declare itself. @internal */
export function missingDirectiveSdl(document: DocumentNode): string {
  const declared = new Set(document.definitions.flatMap((d) => (d.kind === Kind.DIRECTIVE_DEFINITION ? [d.name.value] : [])));
  return [...DIRECTIVE_SDL].filter(([name]) => !declared.has(name)).map(([, sdl]) => sdl).join("\n");
}

/**
 * Names in a `rules:` argument value (strings or enum values, single or
 * listed), or in `compositeRules:` / `deepCompositeRules:` objects, whose
 * every string or enum value is a rule name.
 */
function namesIn(value: ValueNode): string[] {
  if (value.kind === Kind.STRING || value.kind === Kind.ENUM) return [value.value];
  if (value.kind === Kind.LIST) return value.values.flatMap(namesIn);
  if (value.kind === Kind.OBJECT) return value.fields.flatMap((f) => namesIn(f.value));
  return [];
}

/** Rule names named by the `@authz` directives among `directives`. @internal */
export function authzRuleNames(directives: readonly ConstDirectiveNode[] | undefined): string[] {
  const names: string[] = [];
  for (const d of directives ?? []) {
    if (d.name.value !== "authz") continue;
    for (const arg of d.arguments ?? []) {
      if (arg.name.value === "rules" || arg.name.value === "compositeRules" || arg.name.value === "deepCompositeRules") names.push(...namesIn(arg.value));
    }
  }
  return names;
}
