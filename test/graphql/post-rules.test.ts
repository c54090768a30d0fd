import { describe, expect, it } from "vitest";
import { and, postExecRule, preExecRule } from "gatehouse/graphql";
import { ALICE, BOB_ADMIN, harness, standardOptions } from "./fixtures.js";

const base = standardOptions();
function setup(extra: Record<string, unknown> = {}, authSchema: Record<string, unknown> = {}, rejectMode = false) {
  const seen: Array<{ value: unknown; parent: unknown }> = [];
  // Post.body: only public posts, or the author's own; reads status and author.id it may not have been asked for.
  const CanReadBody = postExecRule({ selectionSet: "{ status author { id } }" })((ctx, _args, value, parent) => {
    // What the rule sees while it runs (the response's own object may be shown, and changes afterwards).
    seen.push({ value, parent: JSON.parse(JSON.stringify(parent)) as unknown });
    return parent.status === "public" || parent.author.id === ctx.security.identity?.id;
  });
  const h = harness({
    ...base,
    onDenied: rejectMode ? "reject" : "null",
    rules: { ...base.rules, CanReadBody, ...extra },
    authSchema: { ...base.authSchema, Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["CanReadBody"] } } }, ...authSchema },
  });
  return { ...h, seen };
}

describe("post-execution rules", () => {
  it("decide per row and strip the injected fields", async () => {
    const h = setup();
    const result = await h.run("{ posts { id body } }", BOB_ADMIN);
    expect(result.data).toEqual({ posts: [{ id: "p1", body: "b1" }, { id: "p2", body: null }, { id: "p3", body: "b3" }] });
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["posts", 1, "body"], "FORBIDDEN"]]);
    expect(JSON.stringify(result)).not.toContain("__gh");
    expect(h.seen[0]).toEqual({ value: "b1", parent: { id: "p1", body: "b1", status: "public", author: { id: "u1" } } });
  });

  it("the author sees their draft", async () => {
    const h = setup();
    const result = await h.run("{ posts { body } }", ALICE);
    expect(result).toEqual({ data: { posts: [{ body: "b1" }, { body: "b2" }, { body: "b3" }] } });
  });

  it("a client alias cannot shadow what the rule reads", async () => {
    const h = setup();
    const result = await h.run('{ posts { status: title __gh0_status: title body } }', BOB_ADMIN);
    expect((result.data as { posts: Array<{ body: unknown }> }).posts[1]!.body).toBeNull();
    expect(h.seen[1]!.parent).toMatchObject({ status: "draft" });
  });

  it("works under unions and fragments, deciding per concrete type", async () => {
    const h = setup();
    const result = await h.run('{ search(term: "x") { ... on Post { body } ... on User { name } } node(id: "p2") { ...P } } fragment P on Post { b: body }', BOB_ADMIN);
    expect(result.data).toEqual({ search: [{ name: "Alice" }, { body: "b1" }, {}], node: { b: null } });
    expect(result.errors?.map((e) => e.path)).toEqual([["node", "b"]]);
  });

  it("denials of non-null fields propagate nulls up to the nearest nullable position", async () => {
    const h = setup({ NotDraft: postExecRule({ selectionSet: "{ status }" })((_c, _a, _v, parent) => parent.status !== "draft") }, {
      Post: { "*": { __authz: { rules: ["Anyone"] } }, title: { __authz: { rules: ["NotDraft"] } } },
    });
    // Post.title is String!, posts is [Post!]!: the draft nulls the list's item, the list, and data.
    const list = await h.run("{ posts { title } me { name } }", ALICE);
    expect(list.data).toBeNull();
    expect(list.errors?.map((e) => e.path)).toEqual([["posts", 1, "title"]]);
    // post(id) is nullable: only it becomes null.
    const one = await h.run('{ post(id: "p2") { title } me { name } }', ALICE);
    expect(one.data).toEqual({ post: null, me: { name: "Alice" } });
  });

  it("a composite containing a post rule runs after execution", async () => {
    const IsAuth = preExecRule()((_c, _a, info) => info.security.isAuthenticated);
    const OwnBody = postExecRule({ selectionSet: "{ author { id } }" })((ctx, _a, _v, parent) => parent.author.id === ctx.security.identity?.id);
    const h = setup({ Both: and(IsAuth, OwnBody) }, { Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["Both"] } } } });
    const result = await h.run("{ posts { body } }", ALICE);
    expect(result.data).toEqual({ posts: [{ body: "b1" }, { body: "b2" }, { body: null }] });
  });

  it("reject mode turns a post denial into an error-only result", async () => {
    const h = setup({}, {}, true);
    const result = await h.run("{ posts { body } }", BOB_ADMIN);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.path).toEqual(["posts", 1, "body"]);
  });

  it("async post rules and throwing post rules (denied, not leaked)", async () => {
    const h = setup({
      Async: postExecRule()(async (_c, _a, value) => value !== "b2"),
      Throws: postExecRule()(() => { throw new Error("secret-detail"); }),
    }, { Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["Async"] } }, title: { __authz: { rules: ["Throws"] } } } });
    const a = await h.run('{ post(id: "p2") { body } }', ALICE);
    expect(a.data).toEqual({ post: { body: null } });
    const t = await h.run('{ post(id: "p1") { title } }', ALICE);
    expect(t.data).toEqual({ post: null });
    expect(JSON.stringify(t)).not.toContain("secret-detail");
  });

  it("one row's post decision never decides another's (cache keyed by parent)", async () => {
    let calls = 0;
    const h = setup({ Counted: postExecRule({ selectionSet: "{ status }" })((_c, _a, _v, parent) => (calls++, parent.status === "public")) }, {
      Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["Counted"] } } },
    });
    const result = await h.run("{ posts { body } }", ALICE);
    expect(calls).toBe(3);
    expect(result.data).toEqual({ posts: [{ body: "b1" }, { body: null }, { body: "b3" }] });
  });
});
