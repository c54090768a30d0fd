// Where gatehouse deliberately differs from Apollo Router's handling of its
// authorization directives (docs/migrating.md explains each one).
import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext, type Identity } from "gatehouse";
import { allow, apolloDirectiveTypeDefs, createAuthz } from "gatehouse/graphql";

const sdl = `
  interface Node @authenticated { id: ID! }
  type Doc implements Node { id: ID!  title: String }
  type Vault @requiresScopes(scopes: [["vault"]]) { code: String }
  type Query { open: String  doc: Doc  any: Node  vault: Vault  blank: String @requiresScopes(scopes: [[]]) }
`;

function setup(wildcard = true) {
  const schema = buildSchema(`${apolloDirectiveTypeDefs}\n${sdl}`);
  const q = schema.getQueryType()!.getFields();
  q.open!.resolve = () => "o";
  q.doc!.resolve = () => ({ id: "d1", title: "T" });
  q.any!.resolve = () => ({ id: "d1", title: "T" });
  q.vault!.resolve = () => ({ code: "1234" });
  q.blank!.resolve = () => "b";
  (schema.getType("Node") as { resolveType?: unknown }).resolveType = () => "Doc";
  const authz = createAuthz({ schema, rules: { Anyone: allow }, authSchema: wildcard ? { "*": { "*": { __authz: { rules: ["Anyone"] } } } } : {} });
  return (query: string, identity: Identity | null = null) =>
    authz.execute({ schema, document: parse(query), contextValue: { security: createSecurityContext({ identity, permissions: [] }) } });
}

describe("documented differences from Apollo Router", () => {
  it("1. unmarked fields are denied unless something covers them (the Router serves them)", async () => {
    const r = await setup(false)("{ open }", { id: "u1" });
    expect(r.data).toEqual({ open: null });
  });

  it("2. a denied field is null with an error and a gatehouse code, not removed with UNAUTHORIZED_FIELD_OR_TYPE", async () => {
    const r = await setup()("{ open any { id } }");
    expect(r.data).toEqual({ open: "o", any: null });
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
  });

  it("3. a type-level directive also protects the type's own fields and, on an interface, the implementations' fields", async () => {
    const r = await setup()("{ doc { id title } }");
    expect(r.errors?.map((e) => e.path?.join("."))).toEqual(["doc.id"]);
  });

  it("4. anonymous callers never satisfy @requiresScopes, even [[]]", async () => {
    const run = setup();
    expect((await run("{ blank }")).data).toEqual({ blank: null });
    expect(await run("{ blank }", { id: "u1" })).toEqual({ data: { blank: "b" } });
  });
});
