import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule } from "gatehouse/graphql";
import { ALICE, attachResolvers, securityFor } from "./fixtures.js";

// Post.status is String! and read only by the rule: when it fails, graphql-js nulls the post the client sees.
describe("a field fetched only for a post rule fails", () => {
  const schema = buildSchema("type Query { posts: [Post!] one: Post } type Post { id: ID! status: String! body: String note: String }");
  attachResolvers(schema, {
    Query: { posts: () => [{ id: "1", status: "public", body: "b1" }, { id: "2", status: "public", body: "b2" }], one: () => ({ id: "2", status: null, body: "b2" }) },
    Post: {
      note: (p: { id: string }) => {
        if (p.id === "1") throw new Error("note store down");
        return "n";
      },
    },
  });
  const Rule = postExecRule({ selectionSet: "{ status note }" })((_c, _a, _v, p) => p.status !== "draft");
  const authz = createAuthz({ schema, rules: { Anyone: allow, Rule }, authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } }, Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["Rule"] } } } } });
  const run = async (query: string) => JSON.parse(JSON.stringify(await authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(ALICE) } }))) as ExecutionResult;

  it("data it nulled comes with an error at the client's object, never silently, and without the reserved alias", async () => {
    const one = await run("{ one { body } }");
    expect(one).toEqual({ data: { one: null }, errors: [{ message: "Cannot return null for non-nullable field Post.status.", path: ["one"] }] });
    expect(JSON.stringify(one)).not.toContain("__gh");
  });

  it("a failure that nulls nothing the client sees stays hidden", async () => {
    // note is nullable: its failure on post 1 reaches only the rule.
    const list = await run("{ posts { id body } }");
    expect(list).toEqual({ data: { posts: [{ id: "1", body: "b1" }, { id: "2", body: "b2" }] } });
  });
});
