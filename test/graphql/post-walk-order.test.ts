import { makeExecutableSchema } from "@graphql-tools/schema";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule, type Rule } from "gatehouse/graphql";
import { ALICE, securityFor } from "./fixtures.js";

// Post rules judge after execution, yet the errors must read as graphql-js
// would report them: in document order, and one per nulled position (a
// denial inside a position that a denial nulls is not reported).
const typeDefs = /* GraphQL */ `
  type Query { posts: [Post!]! }
  type Post { id: ID! title: String body: String author: User }
  type User { id: ID! email: String }
`;
const rows = [
  { id: "p0", title: "t0", body: "b0", author: { id: "a", email: "a@x" } },
  { id: "p1", title: "t1", body: "b1", author: { id: "b", email: "b@x" } },
];

/** Post.body, Post.author, Post.title and User.email each get the rule given, or allow. */
function run(query: string, rules: { body?: Rule; author?: Rule; title?: Rule; email?: Rule }) {
  const schema = makeExecutableSchema({ typeDefs, resolvers: { Query: { posts: () => structuredClone(rows) } } });
  const named = (key: keyof typeof rules) => (rules[key] ? { __authz: { rules: [key] } } : { __authz: { rules: ["Anyone"] } });
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, ...Object.fromEntries(Object.entries(rules).filter(([, r]) => r)) } as Record<string, Rule>,
    authSchema: {
      Query: { "*": { __authz: { rules: ["Anyone"] } } },
      Post: { "*": { __authz: { rules: ["Anyone"] } }, body: named("body"), author: named("author"), title: named("title") },
      User: { "*": { __authz: { rules: ["Anyone"] } }, email: named("email") },
    },
  });
  return authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(ALICE) } });
}

const notPost1 = postExecRule({ selectionSet: "{ id }" })((_c, _a, _v, post: { id: string }) => post.id !== "p1");
const notUserB = postExecRule({ selectionSet: "{ id }" })((_c, _a, _v, user: { id: string }) => user.id !== "b");
const authorNotB = postExecRule()((_c, _a, author: { id: string }) => author.id !== "b");
const paths = (result: Awaited<ReturnType<typeof run>>) => result.errors?.map((e) => e.path?.join("."));

describe("post-rule denials read as graphql-js reports errors", () => {
  it("are in document order across depths, whichever order the query names the fields in", async () => {
    const first = await run("{ posts { id body author { id email } } }", { body: notPost1, email: notUserB });
    expect(paths(first)).toEqual(["posts.1.body", "posts.1.author.email"]);
    const swapped = await run("{ posts { id author { id email } body } }", { body: notPost1, email: notUserB });
    expect(paths(swapped)).toEqual(["posts.1.author.email", "posts.1.body"]);
  });

  it("a denied object field is one error: the denials inside it are not reported", async () => {
    const result = await run("{ posts { id author { id email } } }", { author: authorNotB, email: notUserB });
    expect(result.data).toEqual({ posts: [{ id: "p0", author: { id: "a", email: "a@x" } }, { id: "p1", author: null }] });
    expect(paths(result)).toEqual(["posts.1.author"]);
  });

  it("the same when the outer rule answers later than the inner one", async () => {
    const slowAuthor = postExecRule()(async (_c, _a, author: { id: string }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return author.id !== "b";
    });
    const result = await run("{ posts { id author { id email } } }", { author: slowAuthor, email: notUserB });
    expect(paths(result)).toEqual(["posts.1.author"]);
  });

  it("the same when the inner rule is batched, and batched denials take their place in document order", async () => {
    const batchedEmail = postExecRule({ selectionSet: "{ id }", batch: true })((_c, _a, _v, users: Array<{ id: string }>) => users.map((u) => u.id !== "b"));
    const inside = await run("{ posts { id author { id email } } }", { author: authorNotB, email: batchedEmail });
    expect(paths(inside)).toEqual(["posts.1.author"]);
    const batchedTitle = postExecRule({ selectionSet: "{ id }", batch: true })((_c, _a, _v, posts: Array<{ id: string }>) => posts.map((p) => p.id !== "p0"));
    // The batched title denial of row 0 is found after the walk, yet comes before row 1's body.
    const mixed = await run("{ posts { id title body } }", { title: batchedTitle, body: notPost1 });
    expect(paths(mixed)).toEqual(["posts.0.title", "posts.1.body"]);
  });
});
