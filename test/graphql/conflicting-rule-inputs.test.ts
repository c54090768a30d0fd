import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule } from "gatehouse/graphql";
import { ALICE, attachResolvers, securityFor } from "./fixtures.js";

// Two post rules on one type read Post.flag with different arguments: one injected key cannot hold both values.
describe("post rules that read one field with different arguments", () => {
  const schema = buildSchema("type Query { posts: [Post!]! } type Post { id: ID! title: String body: String flag(kind: String!): Boolean! }");
  attachResolvers(schema, {
    Query: { posts: () => [{ id: "1", title: "t", body: "b" }] },
    Post: { flag: (_p: unknown, { kind }: { kind: string }) => kind === "public" },
  });
  const seen: unknown[] = [];
  const IsPublic = postExecRule({ selectionSet: '{ flag(kind: "public") }' })((_c, _a, _v, p) => (seen.push(p.flag), p.flag === true));
  const NotSecret = postExecRule({ selectionSet: '{ flag(kind: "secret") }' })((_c, _a, _v, p) => (seen.push(p.flag), p.flag === false));
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, IsPublic, NotSecret },
    authSchema: { Query: { "*": { __authz: { rules: ["Anyone"] } } }, Post: { "*": { __authz: { rules: ["Anyone"] } }, title: { __authz: { rules: ["IsPublic"] } }, body: { __authz: { rules: ["NotSecret"] } } } },
  });
  const run = (query: string) => Promise.resolve().then(() => authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(ALICE) } }) as ExecutionResult);

  it("an operation that needs both is refused, never run with one rule judging the other's value", async () => {
    seen.length = 0;
    await expect(run("{ posts { title body } }")).rejects.toThrow(/read the same field in ways that cannot be fetched together/);
    expect(seen).toEqual([]);
  });

  it("an operation that needs only one of them runs", async () => {
    expect(await run("{ posts { title } }")).toEqual({ data: { posts: [{ title: "t" }] } });
    expect(await run("{ posts { body } }")).toEqual({ data: { posts: [{ body: "b" }] } });
  });
});
