// Where a ported shield tree behaves differently from graphql-shield, on
// purpose (docs/migrating.md explains each one).
import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { createAuthz } from "gatehouse/graphql";
import { fromShield, not, rule, type ShieldRuleTree } from "gatehouse/graphql/shield";

function run(tree: ShieldRuleTree, query: string) {
  const schema = buildSchema("type Query { a: String  b: String }");
  for (const f of Object.values(schema.getQueryType()!.getFields())) f.resolve = () => f.name;
  const { rules, authSchema } = fromShield(tree);
  const authz = createAuthz({ schema, rules, authSchema });
  return authz.execute({ schema, document: parse(query), contextValue: { security: createSecurityContext({ identity: { id: "u1" }, permissions: [] }) } });
}

describe("documented differences from graphql-shield", () => {
  it("1. fields the tree does not cover are denied (shield's fallbackRule defaults to allow)", async () => {
    const r = await run({ Query: { a: rule()(() => true) } }, "{ a b }");
    expect(r.data).toEqual({ a: "a", b: null });
  });

  it("2. not() of a rule that throws denies (shield counts the throw as 'false' and allows)", async () => {
    const r = await run({ Query: { a: not(rule()(() => { throw new Error("x"); })) } }, "{ a }");
    expect(r.data).toEqual({ a: null });
  });

  it("3. the default denial message is gatehouse's, with a code, not shield's 'Not Authorised!'", async () => {
    const r = await run({ Query: { a: rule()(() => false) } }, "{ a }");
    expect(r.errors?.[0]).toMatchObject({ message: "Not authorized.", extensions: { code: "FORBIDDEN" } });
  });

  it("4. a thrown error is never sent, whatever the options (shield's debug / allowExternalErrors do not exist)", async () => {
    const r = await run({ Query: { a: rule()(() => { throw new Error("internal detail"); }) } }, "{ a }");
    expect(JSON.stringify(r)).not.toContain("internal detail");
  });
});
