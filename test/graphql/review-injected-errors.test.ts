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
    expect(one).toEqual({ data: { one: null }, errors: [{ message: "A field read for an authorization rule could not be resolved.", path: ["one"] }] });
    expect(JSON.stringify(one)).not.toContain("__gh");
  });

  it("the error never quotes the fetched value, which the client may not see", async () => {
    // Post.level is Int! and admin-only; its resolver returns a wrong-typed secret, which graphql-js would quote.
    const leaky = buildSchema("type Query { one: Post } type Post { id: ID! level: Int! body: String }");
    attachResolvers(leaky, { Query: { one: () => ({ id: "1", level: "top-secret-level", body: "b" }) } });
    const ByLevel = postExecRule({ selectionSet: "{ level }" })((_c, _a, _v, p) => (p.level as number) < 5);
    const guarded = createAuthz({
      schema: leaky,
      rules: { Anyone: allow, Nobody: postExecRule()(() => false), ByLevel },
      authSchema: { Query: { "*": { __authz: { rules: ["Anyone"] } } }, Post: { "*": { __authz: { rules: ["Anyone"] } }, level: { __authz: { rules: ["Nobody"] } }, body: { __authz: { rules: ["ByLevel"] } } } },
    });
    const result = JSON.stringify(await guarded.execute({ schema: leaky, document: parse("{ one { body } }"), contextValue: { security: securityFor(ALICE) } }));
    expect(result).not.toContain("top-secret");
    expect(result).toContain("A field read for an authorization rule could not be resolved.");
  });

  it("a failure that nulls nothing the client sees is not sent, and the rule that read it denies its row", async () => {
    // note is nullable: its failure on post 1 reaches only the rule, which cannot judge a value that did not arrive.
    const list = await run("{ posts { id body } }");
    expect(list).toEqual({ data: { posts: [{ id: "1", body: null }, { id: "2", body: "b2" }] }, errors: [{ message: "Not authorized.", locations: [{ line: 1, column: 14 }], path: ["posts", 0, "body"], extensions: { code: "FORBIDDEN" } }] });
    expect(JSON.stringify(list)).not.toContain("note store down");
  });
});
