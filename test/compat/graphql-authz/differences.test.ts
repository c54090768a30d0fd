// Where gatehouse deliberately differs from GraphQL AuthZ (docs/migrating.md
// explains each one). Each case pins gatehouse's behaviour so a change is seen.
import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createAuthz, postExecRule, PostExecutionRule, PreExecutionRule, preExecRule } from "gatehouse/graphql";
import { codes, setup, type User } from "./harness.js";

const member: User = { id: "u1", role: "customer" };
const sdl = "type Post @@Post { id: ID!  title: String @@Post.title }  type Query { post: Post @@Query.post }";
const resolvers = { Query: { post: () => ({ id: "p1", title: "T" }) } };

describe("documented differences from GraphQL AuthZ", () => {
  it("1. a function rule must return true: undefined denies (class rules keep 'no throw = allow')", async () => {
    const h = setup({ sdl, attach: { "Query.post": { rules: ["Forgot"] } }, rules: { Forgot: preExecRule()((() => undefined) as never) }, resolvers, mode: "authSchema" });
    expect(codes(await h.run("{ post { id } }", member))).toEqual(["FORBIDDEN"]);
  });

  it("2. a field no rule covers is denied (GraphQL AuthZ allows it)", async () => {
    const schema = buildSchema("type Query { open: String }");
    schema.getQueryType()!.getFields().open!.resolve = () => "x";
    const authz = createAuthz({ schema, rules: {} });
    const result = await authz.execute({ schema, document: parse("{ open }"), contextValue: {} });
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(authz.coverage().uncovered).toEqual(["Query.open"]);
  });

  it("3. an anonymous caller denied without a custom message gets UNAUTHENTICATED, not FORBIDDEN", async () => {
    const h = setup({ sdl, attach: { "Query.post": { rules: ["No"] } }, rules: { No: preExecRule()(() => false) }, resolvers, mode: "authSchema" });
    expect(codes(await h.run("{ post { id } }"))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await h.run("{ post { id } }", member))).toEqual(["FORBIDDEN"]);
  });

  it("4. a post rule on a type runs per field of the type: value is the field's value, parent the object", async () => {
    const seen: unknown[][] = [];
    class OnPost extends PostExecutionRule {
      execute(_c: unknown, _a: unknown, value: unknown, parent: unknown) {
        seen.push([value, parent]);
      }
    }
    const h = setup({ sdl, attach: { Post: { rules: ["OnPost"] } }, rules: { OnPost }, resolvers, mode: "authSchema" });
    await h.run("{ post { title } }", member);
    expect(seen).toEqual([["T", { title: "T" }]]);
  });

  it("5. the fifth argument of a post rule is the rule info (path as an array), not a path string", async () => {
    let fifth: unknown;
    const rule = postExecRule()((_c, _a, _v, _p, info) => ((fifth = info.path), true));
    const h = setup({ sdl, attach: { "Post.title": { rules: ["R"] } }, rules: { R: rule }, resolvers, mode: "authSchema" });
    await h.run("{ post { title } }", member);
    expect(fifth).toEqual(["post", "title"]);
  });

  it("6. an error other than UnauthorizedError denies the field (generic message) instead of failing the request", async () => {
    class Broken extends PreExecutionRule {
      execute(): boolean {
        throw new TypeError("boom");
      }
    }
    const h = setup({ sdl, attach: { "Post.title": { rules: ["Broken"] } }, rules: { Broken }, resolvers, mode: "authSchema" });
    const result = await h.run("{ post { id title } }", member);
    expect(result.data).toEqual({ post: { id: "p1", title: null } });
    expect(result.errors?.[0]?.message).toBe("Not authorized.");
  });
});
