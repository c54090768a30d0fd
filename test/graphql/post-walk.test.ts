import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule, type Rule } from "gatehouse/graphql";
import { ALICE, BOB_ADMIN, attachResolvers, harness, securityFor, standardOptions } from "./fixtures.js";

const base = standardOptions();

/** Post.body guarded by a rule that reads status and author.id; records what it saw. */
function setup(authSchema: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, mode: "enforce" | "audit" = "enforce") {
  const seen: Array<{ value: unknown; parent: Record<string, unknown> }> = [];
  const events: Array<{ decision: string; path: string }> = [];
  const CanReadBody = postExecRule({ selectionSet: "{ status author { id } }" })((ctx, _a, value, parent) => {
    seen.push({ value, parent });
    return parent.status === "public" || parent.author?.id === ctx.security.identity?.id;
  });
  const h = harness({
    ...base,
    mode,
    audit: (e) => events.push({ decision: e.decision, path: String(e.path) }),
    rules: { ...base.rules, CanReadBody, ...extra },
    authSchema: { ...base.authSchema, Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["CanReadBody"] } } }, ...authSchema },
  });
  return { ...h, seen, events };
}

describe("post rules read what the client selected", () => {
  it("a rule reads the client's own fields; the response is what bare execution returns", async () => {
    const h = setup();
    const query = "{ posts { id status body author { id name } } }";
    const result = await h.run(query, ALICE);
    expect(result).toEqual(await h.bare(query, ALICE));
    expect(h.seen.map((s) => [s.parent.status, (s.parent.author as { id: string }).id])).toEqual([["public", "u1"], ["draft", "u1"], ["public", "u2"]]);
  });

  it("a reused field that is denied to the client is still read for real by the rule", async () => {
    // User.secret is withheld from Alice, but the email rule must judge the real secret, not the null she gets.
    const read: unknown[] = [];
    const EmailIfSecret = postExecRule({ selectionSet: "{ secret }" })((_c, _a, _v, parent) => (read.push(parent.secret), parent.secret === "s-alice"));
    const h = setup({ User: { "*": { __authz: { rules: ["Anyone"] } }, secret: { __authz: { rules: ["IsAdmin"] } }, email: { __authz: { rules: ["EmailIfSecret"] } } } }, { EmailIfSecret });
    const result = await h.run("{ users { secret email } }", ALICE);
    expect(result.data).toEqual({ users: [{ secret: null, email: "alice@example.test" }, { secret: null, email: null }] });
    expect(read).toEqual(["s-alice", "s-bob"]);
    expect(result.errors?.map((e) => e.path)).toEqual([["users", 0, "secret"], ["users", 1, "secret"], ["users", 1, "email"]]);
    expect(JSON.stringify(result)).not.toContain("__gh");
  });

  it("a reused field skipped by @include is still read by the rule", async () => {
    const h = setup();
    const result = await h.run("query($s: Boolean!) { posts { status @include(if: $s) body } }", BOB_ADMIN, { s: false });
    expect(result.data).toEqual({ posts: [{ body: "b1" }, { body: null }, { body: "b3" }] });
    expect(h.seen.map((s) => s.parent.status)).toEqual(["public", "draft", "public"]);
  });

  it("a field selected with arguments, an alias or a sub-selection that differs is injected, not trusted", async () => {
    const h = setup();
    const result = await h.run("{ posts { author { name } status: title body } }", BOB_ADMIN);
    expect((result.data as { posts: Array<{ status: string; body: unknown }> }).posts.map((p) => p.body)).toEqual(["b1", null, "b3"]);
    expect(h.seen.map((s) => [s.parent.status, s.parent.author])).toEqual([["public", { id: "u1" }], ["draft", { id: "u1" }], ["public", { id: "u2" }]]);
    expect(result.data).toEqual({ posts: [{ author: { name: "Alice" }, status: "Hello", body: "b1" }, { author: { name: "Alice" }, status: "Draft", body: null }, { author: { name: "Bob" }, status: "Bob's", body: "b3" }] });
  });

  it("a response key named __proto__ stays data in an object that held injected keys", async () => {
    const h = setup();
    const result = await h.run("{ posts { __proto__: title body } }", ALICE);
    const first = (result.data as { posts: Array<Record<string, unknown>> }).posts[0]!;
    expect(Object.prototype.hasOwnProperty.call(first, "__proto__")).toBe(true);
    expect(first["__proto__"]).toBe("Hello");
    expect(JSON.stringify(result)).toContain('"__proto__":"Hello"');
  });
});

describe("denials after execution", () => {
  const NotDraft = postExecRule({ selectionSet: "{ status }" })((_c, _a, _v, parent) => parent.status !== "draft");

  it("one error per propagation: two denied non-null fields of one row report one error", async () => {
    const sdl = /* GraphQL */ `
      type Query { feed: [Item]! }
      type Item { id: ID! a: String! b: String! status: String! }
    `;
    const schema = buildSchema(sdl);
    attachResolvers(schema, { Query: { feed: () => [{ id: "1", a: "a1", b: "b1", status: "ok" }, { id: "2", a: "a2", b: "b2", status: "draft" }] } });
    const authz = createAuthz({
      schema,
      rules: { Anyone: allow, NotDraft },
      authSchema: { Query: { "*": { __authz: { rules: ["Anyone"] } } }, Item: { "*": { __authz: { rules: ["Anyone"] } }, a: { __authz: { rules: ["NotDraft"] } }, b: { __authz: { rules: ["NotDraft"] } } } },
    });
    const result = (await authz.execute({ schema, document: parse("{ feed { id a b } }"), contextValue: { security: securityFor(ALICE) } })) as ExecutionResult;
    expect(result.data).toEqual({ feed: [{ id: "1", a: "a1", b: "b1" }, null] });
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["feed", 1, "a"], "FORBIDDEN"]]);
  });

  it("once a denial nulls the whole response, no other row is judged", async () => {
    let calls = 0;
    const Counted = postExecRule({ selectionSet: "{ status }" })((_c, _a, _v, parent) => (calls++, parent.status !== "public"));
    const h = setup({ Post: { "*": { __authz: { rules: ["Anyone"] } }, title: { __authz: { rules: ["Counted"] } } } }, { Counted });
    // Post.title is String! and posts is [Post!]!: the first denial nulls data.
    const result = await h.run("{ posts { title } }", ALICE);
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(calls).toBe(1);
  });

  it("audit mode nulls nothing and reports every would-be denial", async () => {
    const h = setup({}, {}, "audit");
    const query = "{ posts { id body } }";
    const result = await h.run(query, BOB_ADMIN);
    expect(result).toEqual(await h.bare(query, BOB_ADMIN));
    expect(h.events.filter((e) => e.decision === "would-deny").map((e) => e.path)).toEqual(["posts.1.body"]);
  });

  it("denials are real GraphQLErrors with locations, in document order", async () => {
    const h = setup();
    const result = await h.run("{ a: posts { body } b: posts { body } }", BOB_ADMIN);
    expect(result.errors?.map((e) => e.path)).toEqual([["a", 1, "body"], ["b", 1, "body"]]);
    const error = result.errors![0]!;
    expect(error.locations).toEqual([{ line: 1, column: 14 }]);
    expect(error.toJSON()).toEqual({ message: "Not authorized.", locations: [{ line: 1, column: 14 }], path: ["a", 1, "body"], extensions: { code: "FORBIDDEN" } });
    expect(Object.keys(error)).toEqual(["message", "path", "locations", "extensions"]);
    expect(error.name).toBe("GraphQLError");
    expect(String(error)).toContain("Not authorized.");
  });

  it("a rule that takes info sees each row's path, however it declares the parameter", async () => {
    const paths: unknown[] = [];
    const declared = postExecRule()((_c, _a, _v, _p, info) => (paths.push(info.path), true));
    const rest = postExecRule()((...args: unknown[]) => (paths.push((args[4] as { path: unknown }).path), true));
    for (const Seen of [declared, rest]) {
      paths.length = 0;
      const h = setup({ Post: { "*": { __authz: { rules: ["Anyone"] } }, title: { __authz: { rules: ["Seen"] } } } }, { Seen });
      await h.run("{ posts { title } }", BOB_ADMIN);
      expect(paths).toEqual([["posts", 0, "title"], ["posts", 1, "title"], ["posts", 2, "title"]]);
    }
  });
});

describe("batched post rules", () => {
  const sdl = /* GraphQL */ `
    type Query { rows(n: Int!): [Row!]! }
    type Row { id: ID! owner: String! secret: String }
  `;
  function rowsSetup(rule: Rule) {
    const schema = buildSchema(sdl);
    attachResolvers(schema, { Query: { rows: (_: unknown, { n }: { n: number }) => Array.from({ length: n }, (_x, i) => ({ id: String(i), owner: i % 2 === 0 ? "u1" : "u2", secret: `s${i}` })) } });
    const authz = createAuthz({
      schema,
      rules: { Anyone: allow, Owner: rule },
      authSchema: { Query: { "*": { __authz: { rules: ["Anyone"] } } }, Row: { "*": { __authz: { rules: ["Anyone"] } }, secret: { __authz: { rules: ["Owner"] } } } },
    });
    return (query: string) => authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(ALICE) } }) as Promise<ExecutionResult>;
  }

  it("judges 1,000 rows in one call per field per operation", async () => {
    const calls: Array<{ values: number; parents: number }> = [];
    const run = rowsSetup(
      postExecRule({ selectionSet: "{ owner }", batch: true })(async (ctx, _args, values, parents) => {
        calls.push({ values: values.length, parents: parents.length });
        return parents.map((p: { owner: string }) => p.owner === ctx.security.identity?.id);
      }),
    );
    const result = await run("{ rows(n: 1000) { id secret } }");
    expect(calls).toEqual([{ values: 1000, parents: 1000 }]);
    const rows = (result.data as { rows: Array<{ id: string; secret: string | null }> }).rows;
    expect(rows.filter((r) => r.secret !== null)).toHaveLength(500);
    expect(rows[1]).toEqual({ id: "1", secret: null });
    expect(result.errors).toHaveLength(500);
    expect(JSON.stringify(result)).not.toContain("owner");
  });

  it("a wrong-length answer, a non-array, a throw or a rejection denies every row", async () => {
    for (const body of [() => [true], () => "yes", () => { throw new Error("db down"); }, async () => { throw new Error("db down"); }]) {
      const run = rowsSetup(postExecRule({ selectionSet: "{ owner }", batch: true })(body as never));
      const result = await run("{ rows(n: 4) { secret } }");
      expect(result.data).toEqual({ rows: [{ secret: null }, { secret: null }, { secret: null }, { secret: null }] });
      expect(JSON.stringify(result)).not.toContain("db down");
    }
  });

  it("cannot be nested in a composite rule", async () => {
    const { and } = await import("gatehouse/graphql");
    const batched = postExecRule({ batch: true })(() => []);
    expect(() => and(allow, batched)).toThrow(TypeError);
    expect(() => postExecRule({ batch: "yes" as never })).toThrow(TypeError);
  });
});
