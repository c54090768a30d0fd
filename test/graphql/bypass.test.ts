import { describe, expect, it } from "vitest";
import { ALICE, BOB_ADMIN, harness, standardOptions } from "./fixtures.js";

const setup = () => harness(standardOptions());

describe("allowed queries equal bare execute", () => {
  it.each([
    ["nested lists", "{ posts { id title author { name posts { id } } comments { text author { name } } } }"],
    ["union with inline fragments", "{ search(term: \"x\") { __typename ... on User { name } ... on Post { title } ... on Comment { text } } }"],
    ["interface field", "{ node(id: \"p1\") { id ... on Post { title } } }"],
    ["list of lists", "{ grid me { friends { name } } }"],
    ["__typename anywhere", "{ __typename posts { __typename author { __typename } } }"],
  ])("%s", async (_name, query) => {
    const h = setup();
    await h.expectAllowed(query, ALICE);
  });

  it("admin sees secrets", async () => {
    const h = setup();
    const result = await h.expectAllowed("{ users { name secret } requiredSecret }", BOB_ADMIN);
    expect(JSON.stringify(result.data)).toContain("s-alice");
  });
});

describe("every route to a denied field is denied", () => {
  const routes: Array<[string, string, Array<string | number>]> = [
    ["direct", "{ me { secret } }", ["me", "secret"]],
    ["alias", "{ me { s: secret } }", ["me", "s"]],
    ["duplicated with alias", "{ me { secret other: secret } }", ["me", "other"]],
    ["named fragment", "{ me { ...F } } fragment F on User { secret }", ["me", "secret"]],
    ["nested fragments", "{ me { ...A } } fragment A on User { ...B } fragment B on User { s2: secret }", ["me", "s2"]],
    ["inline fragment on interface", "{ node(id: \"u1\") { ... on User { secret } } }", ["node", "secret"]],
    ["interface fragment", "{ node(id: \"u1\") { ...N } } fragment N on Node { ... on User { secret } }", ["node", "secret"]],
    ["union member", "{ search(term: \"x\") { ... on User { secret } } }", ["search", 0, "secret"]],
    ["deep in lists", "{ posts { author { friends { secret } } } }", ["posts", 0, "author", "friends", 0, 0, "secret"]],
    ["through comments", "{ posts { comments { author { secret } } } }", ["posts", 0, "comments", 0, "author", "secret"]],
  ];
  it.each(routes)("%s", async (_name, query, path) => {
    const h = setup();
    const result = await h.expectDenied(query, "FORBIDDEN", path, ALICE);
    expect(JSON.stringify(result.data)).not.toContain("s-");
    expect(h.calls.get("User.secret") ?? 0).toBe(0);
  });

  it("variables drive @include", async () => {
    const h = setup();
    const q = "query Q($show: Boolean!) { me { name secret @include(if: $show) } }";
    await h.expectAllowed(q, ALICE, { show: false });
    await h.expectDenied(q, "FORBIDDEN", ["me", "secret"], ALICE, { show: true });
  });

  it("@skip on a fragment spread is resolved per request", async () => {
    const h = setup();
    const q = "query Q($hide: Boolean!) { me { name ...S @skip(if: $hide) } } fragment S on User { secret }";
    await h.expectAllowed(q, ALICE, { hide: true });
    await h.expectDenied(q, "FORBIDDEN", ["me", "secret"], ALICE, { hide: false });
  });

  it("a skipped copy does not hide an included copy of the same field", async () => {
    const h = setup();
    await h.expectDenied("{ me { secret @skip(if: true) ... on User { secret } } }", "FORBIDDEN", ["me", "secret"], ALICE);
  });

  it("anonymous callers get UNAUTHENTICATED", async () => {
    const h = setup();
    await h.expectDenied("{ users { name } }", "UNAUTHENTICATED", ["users"], null);
  });

  it("other fields keep their data", async () => {
    const h = setup();
    const result = await h.run("{ me { name secret } posts { id } }", ALICE);
    expect(result.data).toEqual({ me: { name: "Alice", secret: null }, posts: [{ id: "p1" }, { id: "p2" }, { id: "p3" }] });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.toJSON()).toMatchObject({ message: "Not authorized.", path: ["me", "secret"], extensions: { code: "FORBIDDEN" } });
  });

  it("null propagates through non-null fields", async () => {
    const h = setup();
    const result = await h.run("{ requiredSecret posts { id } }", ALICE);
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(h.calls.get("Query.requiredSecret") ?? 0).toBe(0);
  });

  it("per concrete type under an abstract field", async () => {
    const h = harness({
      ...standardOptions(),
      authSchema: { ...standardOptions().authSchema, Post: { "*": { __authz: { rules: ["Anyone"] } }, id: { __authz: { rules: ["IsAdmin"] } } } },
    });
    const result = await h.run('{ a: node(id: "u1") { ... on Node { id } } b: node(id: "p1") { ... on Node { id } } }', ALICE);
    // Post.id is ID!: its denial nulls the Post, and `node` is nullable.
    expect(result.data).toEqual({ a: { id: "u1" }, b: null });
    expect(result.errors?.map((e) => e.path)).toEqual([["b", "id"]]);
  });
});
