// graphql-shield rule trees ported with fromShield: rules keep
// (parent, args, ctx, info) and see the resolver's SOURCE object; the
// combinators, caching, type-level rules, wildcards and fallbackRule behave
// as graphql-shield documents them, inside gatehouse's secure default.
import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { and as gatehouseAnd, createAuthz, type AuthzOptions } from "gatehouse/graphql";
import { allow, and, chain, deny, fromShield, not, or, race, rule, type ShieldRule, type ShieldRuleTree } from "gatehouse/graphql/shield";

// graphql-shield 7 calls util.isUndefined and friends, which Node 23 removed: on
// newer Node it cannot load, so the cases that run graphql-shield itself are skipped there.
const realShield = await import("graphql-shield").catch(() => null);
const withRealShield = realShield ? describe : describe.skip;

interface Ctx {
  user?: { id: string; role: "admin" | "editor" | "reader" };
  calls: string[];
}

const sdl = `
  type User { id: ID!  name: String!  email: String }
  type Post { id: ID!  title: String!  body: String  author: User! }
  type Query { me: User  posts: [Post!]!  post(id: ID!): Post  ping: String }
  type Mutation { publish(id: ID!): Post }
`;
// Rows carry fields the schema does not expose (authorId, internal): shield rules read them from the source.
const users = [{ id: "u1", name: "Ann", email: "ann@x.test" }, { id: "u2", name: "Ben", email: "ben@x.test" }];
const posts = [
  { id: "p1", title: "Public", body: "b1", authorId: "u1", internal: false },
  { id: "p2", title: "Draft", body: "b2", authorId: "u2", internal: true },
];

function setup(tree: ShieldRuleTree, opts: { fallbackRule?: ShieldRule } = {}, extra: Partial<AuthzOptions> = {}) {
  const schema = buildSchema(sdl);
  const published: string[] = [];
  const q = schema.getQueryType()!.getFields();
  q.me!.resolve = (_s, _a, ctx: Ctx) => users.find((u) => u.id === ctx.user?.id) ?? null;
  q.posts!.resolve = () => posts;
  q.post!.resolve = (_s, { id }: { id: string }) => posts.find((p) => p.id === id);
  q.ping!.resolve = () => "pong";
  schema.getMutationType()!.getFields().publish!.resolve = (_s, { id }: { id: string }) => (published.push(id), posts.find((p) => p.id === id));
  (schema.getType("Post") as unknown as { getFields(): Record<string, { resolve?: unknown }> }).getFields().author!.resolve = (p: { authorId: string }) => users.find((u) => u.id === p.authorId);
  const { rules, authSchema } = fromShield(tree, opts);
  const authz = createAuthz({ schema, rules, authSchema, ...extra });
  const calls: string[] = [];
  const run = async (query: string, user?: Ctx["user"], variableValues?: Record<string, unknown>): Promise<ExecutionResult> =>
    await authz.execute({
      schema,
      document: parse(query),
      contextValue: { user, calls, security: createSecurityContext({ identity: user ? { id: user.id, roles: [user.role] } : null, permissions: [] }) },
      variableValues,
    });
  return { run, calls, published, authz };
}
const paths = (r: ExecutionResult) => (r.errors ?? []).map((e) => e.path?.join("."));

const isAuthenticated = rule()((_p, _a, ctx: Ctx) => ctx.user !== undefined);
const isAdmin = rule()((_p, _a, ctx: Ctx) => ctx.user?.role === "admin");
const isAuthor = rule({ cache: "strict" })((post: { authorId: string }, _a, ctx: Ctx) => post.authorId === ctx.user?.id);
const ann = { id: "u1", role: "reader" } as const;
const admin = { id: "u9", role: "admin" } as const;

describe("fromShield: rules see the resolver's source object", () => {
  it("a field rule reads a property of the row the schema does not expose", async () => {
    const h = setup({ Query: { "*": allow }, Post: { "*": allow, body: or(isAuthor, isAdmin) } });
    const r = await h.run("{ posts { id body } }", ann);
    expect(r.data).toEqual({ posts: [{ id: "p1", body: "b1" }, { id: "p2", body: null }] });
    expect(paths(r)).toEqual(["posts.1.body"]);
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.run("{ posts { body } }", admin)).errors).toBeUndefined();
  });

  it("every field is checked however it is reached: aliases, fragments, nested objects", async () => {
    const h = setup({ Query: { "*": allow }, Post: { "*": allow }, User: { "*": allow, email: isAdmin } });
    const r = await h.run("{ posts { a: author { e: email } ...F } } fragment F on Post { author { email } }", ann);
    expect(paths(r)).toEqual(["posts.0.a.e", "posts.0.author.email", "posts.1.a.e", "posts.1.author.email"]);
  });

  it("rules get the field's args and info", async () => {
    const seen: unknown[] = [];
    const spy = rule({ cache: "no_cache" })((_p, args, _c, info) => (seen.push([args, info.fieldName, info.parentType.name]), true));
    const h = setup({ Query: { "*": allow, post: spy }, Post: allow });
    await h.run('query($id: ID!) { post(id: $id) { id } }', ann, { id: "p1" });
    expect(seen).toEqual([[{ id: "p1" }, "post", "Query"]]);
  });
});

describe("fromShield: rule results", () => {
  it.each([
    ["false", () => false, "Not authorized."],
    ["an Error", () => new Error("Custom reason"), "Custom reason"],
    ["a string", () => "Message as string", "Message as string"],
    ["a throw (never sent)", () => { throw new Error("secret stack"); }, "Not authorized."],
    ["a rejection (never sent)", () => Promise.reject(new Error("secret")), "Not authorized."],
    ["a non-boolean", () => 1, "Not authorized."],
  ])("%s denies", async (_n, fn, message) => {
    const h = setup({ Query: { ping: rule({ cache: "no_cache" })(fn as never) } });
    const r = await h.run("{ ping }", ann);
    expect(r).toEqual({ data: { ping: null }, errors: [expect.objectContaining({ message })] });
  });

  it("true and allow allow; deny denies", async () => {
    const h = setup({ Query: { ping: rule()(async () => true), me: deny, posts: allow }, Post: allow });
    const r = await h.run("{ ping me posts { id } }", ann);
    expect(r.data).toEqual({ ping: "pong", me: null, posts: [{ id: "p1" }, { id: "p2" }] });
    expect(paths(r)).toEqual(["me"]);
  });
});

describe("fromShield: combinators", () => {
  const track = (name: string, ok: boolean | string) => rule(name, { cache: "no_cache" })((_p, _a, ctx: Ctx) => (ctx.calls.push(name), ok));

  it("and: all must allow; the first failure's message is sent", async () => {
    const h = setup({ Query: { ping: and(track("a1", true), track("a2", "second says no"), track("a3", "third says no")) } });
    expect((await h.run("{ ping }", ann)).errors?.[0]?.message).toBe("second says no");
  });

  it("or: one success suffices; with none, the first custom error is sent", async () => {
    const h1 = setup({ Query: { ping: or(track("o1", false), track("o2", true)) } });
    expect(await h1.run("{ ping }", ann)).toEqual({ data: { ping: "pong" } });
    const h2 = setup({ Query: { ping: or(track("o3", false), track("o4", "nope")) } });
    expect((await h2.run("{ ping }", ann)).errors?.[0]?.message).toBe("nope");
  });

  it("chain: one after another, stopping at the first denial", async () => {
    const h = setup({ Query: { ping: chain(track("c1", true), track("c2", false), track("c3", true)) } });
    await h.run("{ ping }", ann);
    expect(h.calls).toEqual(["c1", "c2"]);
  });

  it("race: one after another, stopping at the first success", async () => {
    const h = setup({ Query: { ping: race(track("r1", false), track("r2", true), track("r3", true)) } });
    expect(await h.run("{ ping }", ann)).toEqual({ data: { ping: "pong" } });
    expect(h.calls).toEqual(["r1", "r2"]);
  });

  it("not: inverts, with an optional message when the inner rule allows", async () => {
    const h = setup({ Query: { ping: not(isAuthenticated, "Signed-in users may not ping"), me: not(isAdmin) }, User: allow });
    expect((await h.run("{ ping }", ann)).errors?.[0]?.message).toBe("Signed-in users may not ping");
    expect(await h.run("{ ping }")).toEqual({ data: { ping: "pong" } });
    expect(await h.run("{ me { id } }", ann)).toEqual({ data: { me: { id: "u1" } } });
  });

  it("nesting", async () => {
    const h = setup({ Query: { ping: or(and(isAuthenticated, not(isAdmin)), chain(isAdmin, isAuthenticated)) } });
    expect(await h.run("{ ping }", ann)).toEqual({ data: { ping: "pong" } });
    expect(await h.run("{ ping }", admin)).toEqual({ data: { ping: "pong" } });
    expect(paths(await h.run("{ ping }"))).toEqual(["ping"]);
  });
});

describe("fromShield: caching per request", () => {
  const counted = (cache: "contextual" | "strict" | "no_cache") =>
    rule({ cache })((_p, _a, ctx: Ctx) => (ctx.calls.push(cache), true));

  it.each([
    ["contextual", 1],
    ["strict", 2],
    ["no_cache", 4],
  ] as const)("%s: %i evaluations for 2 rows × 2 fields", async (cache, expected) => {
    const r = counted(cache);
    const h = setup({ Query: allow, Post: { id: r, title: r } });
    await h.run("{ posts { id title } }", ann);
    expect(h.calls).toHaveLength(expected);
  });

  it("results are never shared between requests", async () => {
    const r = counted("contextual");
    const h = setup({ Query: { ping: r } });
    await h.run("{ ping }", ann);
    await h.run("{ ping }", ann);
    expect(h.calls).toHaveLength(2);
  });

  it("strict caching keys by args too", async () => {
    const r = rule({ cache: "strict" })((_p, _a, ctx: Ctx) => (ctx.calls.push("s"), true));
    const h = setup({ Query: { "*": allow, post: r }, Post: allow });
    await h.run('{ a: post(id: "p1") { id } b: post(id: "p1") { id } c: post(id: "p2") { id } }', ann);
    expect(h.calls).toHaveLength(2);
  });
});

describe("fromShield: rule tree layout", () => {
  it("a type-level rule applies to each of the type's fields", async () => {
    const h = setup({ Query: allow, Post: isAdmin, User: allow });
    const r = await h.run("{ posts { title } }", ann);
    expect(r.data).toBeNull();
    expect(paths(r)).toEqual(["posts.0.title"]);
    expect((await h.run("{ posts { title } }", admin)).errors).toBeUndefined();
  });

  it("'*' inside a type covers the fields it does not name", async () => {
    const h = setup({ Query: { "*": isAuthenticated, ping: allow }, Post: allow });
    expect(await h.run("{ ping }")).toEqual({ data: { ping: "pong" } });
    expect(paths(await h.run("{ ping posts { id } }"))).toEqual(["posts"]);
  });

  it("a single rule for the whole schema", async () => {
    const h = setup(isAuthenticated);
    expect(paths(await h.run("{ ping }"))).toEqual(["ping"]);
    expect(await h.run("{ ping posts { id } }", ann)).toEqual({ data: { ping: "pong", posts: [{ id: "p1" }, { id: "p2" }] } });
  });

  it("without fallbackRule, fields the tree does not name are denied (graphql-shield would allow them)", async () => {
    const h = setup({ Query: { ping: allow } });
    const r = await h.run("{ ping me { id } }", ann);
    expect(paths(r)).toEqual(["me"]);
    expect(h.authz.coverage().uncovered).toContain("Query.me");
  });

  it("fallbackRule covers fields the tree does not name", async () => {
    const h = setup({ Query: { me: isAdmin } }, { fallbackRule: allow });
    expect(await h.run("{ ping posts { id } }", ann)).toEqual({ data: { ping: "pong", posts: [{ id: "p1" }, { id: "p2" }] } });
    expect(paths(await h.run("{ me { id } }", ann))).toEqual(["me"]);
    const strict = setup({ Query: { ping: allow } }, { fallbackRule: isAdmin });
    expect(paths(await strict.run("{ ping posts { id } }", ann))).toEqual(["posts"]);
  });

  it("a denied mutation never runs its resolver", async () => {
    const h = setup({ Mutation: { publish: isAdmin }, Post: allow });
    expect(paths(await h.run('mutation { publish(id: "p1") { id } }', ann))).toEqual(["publish"]);
    expect(h.published).toEqual([]);
    expect(await h.run('mutation { publish(id: "p1") { id } }', admin)).toEqual({ data: { publish: { id: "p1" } } });
    expect(h.published).toEqual(["p1"]);
  });

  it("onDenied: 'reject' fails the whole operation", async () => {
    const h = setup({ Query: { "*": allow, me: isAdmin }, User: allow }, {}, { onDenied: "reject" });
    const r = await h.run("{ ping me { id } }", ann);
    expect(r.data).toBeUndefined();
    expect(paths(r)).toEqual(["me"]);
  });

  it("mode: 'audit' reports but does not deny", async () => {
    const events: unknown[] = [];
    const h = setup({ Query: { "*": allow, me: isAdmin }, User: allow }, {}, { mode: "audit", audit: (e) => events.push(e) });
    expect(await h.run("{ me { id } }", ann)).toEqual({ data: { me: { id: "u1" } } });
    expect(events).toContainEqual(expect.objectContaining({ decision: "would-deny", coordinate: "Query.me" }));
  });

  it("gatehouse's own rules still apply beside shield rules", async () => {
    const h = setup({ Query: { "*": allow }, Post: allow });
    expect(await h.run("{ ping }")).toEqual({ data: { ping: "pong" } });
  });
});

describe("fromShield: beside gatehouse's own tools", () => {
  it("matrix() reports fields guarded by shield rules as 'depends' (they need the source object)", async () => {
    const h = setup({ Query: { "*": allow, me: isAdmin }, User: allow });
    const m = await h.authz.matrix([null]);
    const cell = (c: string) => m.rows.find((r) => r.coordinate === c)?.cells[0];
    expect(cell("Query.me")).toBe("depends");
    expect(cell("Query.ping")).toBe("allow");
  });

  it("a converted shield rule cannot be nested in gatehouse's and/or/not (compose it with the shield constructors)", () => {
    const { rules } = fromShield({ Query: { ping: isAdmin } });
    expect(() => gatehouseAnd(rules["shield:Query.ping"]!)).toThrow(/shield constructors/);
  });
});

withRealShield("fromShield: graphql-shield's own rule objects", () => {
  // The tree below is built with graphql-shield itself: a port that keeps its imports.
  it("rule, and, or, not, chain, race, allow and deny run with the same meaning", async () => {
    const s = realShield!;
    const isAuth = s.rule({ cache: "contextual" })((_p: unknown, _a: unknown, ctx: Ctx) => ctx.user !== undefined);
    const isAdminReal = s.rule("isAdminReal")((_p: unknown, _a: unknown, ctx: Ctx) => ctx.user?.role === "admin");
    const isAuthorReal = s.rule({ cache: "strict" })((post: { authorId: string }, _a: unknown, ctx: Ctx) => post.authorId === ctx.user?.id);
    const h = setup({
      Query: { "*": s.allow, me: s.and(isAuth, s.not(isAdminReal, "admins use the console")), ping: s.chain(isAuth, s.race(isAdminReal, isAuth)) },
      Post: { "*": s.allow, body: s.or(isAuthorReal, isAdminReal), title: s.deny },
      User: s.allow,
    } as never);
    const r = await h.run("{ me { id } ping posts { body } }", ann);
    expect(r.data).toEqual({ me: { id: "u1" }, ping: "pong", posts: [{ body: "b1" }, { body: null }] });
    expect(paths(r)).toEqual(["posts.1.body"]);
    expect((await h.run("{ me { id } }", admin)).errors?.[0]?.message).toBe("admins use the console");
    expect(paths(await h.run("{ posts { title } }", admin))).toEqual(["posts.0.title"]);
    expect(paths(await h.run("{ ping }"))).toEqual(["ping"]);
  });
});

describe("fromShield: bad input", () => {
  it.skipIf(!realShield)("graphql-shield's inputRule is refused", () => {
    expect(() => fromShield({ Query: { ping: realShield!.inputRule()((yup) => yup.object({})) } })).toThrow(/inputRule/);
  });

  it("two different rules with one name are refused", () => {
    expect(() => fromShield({ Query: { a: rule("same")(() => true), b: rule("same")(() => false) } })).toThrow(TypeError);
  });

  it.each([
    ["a string tree", "nope"],
    ["a type mapped to a number", { Query: 1 }],
    ["a field mapped to a function", { Query: { ping: () => true } }],
  ])("%s → TypeError", (_n, tree) => {
    expect(() => fromShield(tree as never)).toThrow(TypeError);
  });

  it("constructors check their arguments", () => {
    expect(() => and()).toThrow(TypeError);
    expect(() => or((() => true) as never)).toThrow(TypeError);
    expect(() => not(1 as never)).toThrow(TypeError);
    expect(() => rule({ cache: "forever" as never })).toThrow(TypeError);
    expect(() => rule()(1 as never)).toThrow(TypeError);
  });
});
