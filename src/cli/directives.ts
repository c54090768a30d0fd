/**
 * The `@authz` / `@public` directives as the CLI sees them: declared when an
 * SDL file does not declare them, and read back into rule usages.
 * @module
 */
import { Kind } from "graphql";
import type { ConstDirectiveNode, DocumentNode, ValueNode } from "graphql";

/**
 * Declarations added to SDL that uses the directives without declaring them.
 * `rules` is a custom scalar so both `[IsAdmin]` (enum-style, as in GraphQL
 * AuthZ) and `["IsAdmin"]` validate.
 * @internal
 */
const FALLBACKS: Readonly<Record<string, string>> = {
  authz: "scalar GatehouseRuleName\ndirective @authz(rules: [GatehouseRuleName!]!) on OBJECT | INTERFACE | FIELD_DEFINITION",
  public: "directive @public on OBJECT | INTERFACE | FIELD_DEFINITION",
  skipAuth: "directive @skipAuth on OBJECT | INTERFACE | FIELD_DEFINITION",
  requireAuth: "directive @requireAuth on OBJECT | INTERFACE | FIELD_DEFINITION",
};

/** Declarations for the gatehouse directives that `document` does not declare itself. @internal */
export function missingDirectiveSdl(document: DocumentNode): string {
  const declared = new Set(document.definitions.flatMap((d) => (d.kind === Kind.DIRECTIVE_DEFINITION ? [d.name.value] : [])));
  return Object.entries(FALLBACKS)
    .filter(([name]) => !declared.has(name))
    .map(([, sdl]) => sdl)
    .join("\n");
}

/** Names in a `rules:` argument value: strings or enum values, single or listed. */
function namesIn(value: ValueNode): string[] {
  if (value.kind === Kind.STRING || value.kind === Kind.ENUM) return [value.value];
  if (value.kind === Kind.LIST) return value.values.flatMap(namesIn);
  return [];
}

/** Rule names named by the `@authz` directives among `directives`. @internal */
export function authzRuleNames(directives: readonly ConstDirectiveNode[] | undefined): string[] {
  const names: string[] = [];
  for (const d of directives ?? []) {
    if (d.name.value !== "authz") continue;
    for (const arg of d.arguments ?? []) if (arg.name.value === "rules") names.push(...namesIn(arg.value));
  }
  return names;
}
