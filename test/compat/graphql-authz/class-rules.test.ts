// Class rules as GraphQL AuthZ documents them: `extends PreExecutionRule` /
// `PostExecutionRule` with `execute`, `error`, `notError`, `selectionSet`,
// registered as classes (or instances); pre rules on queries, mutations,
// objects and fields; post rules on fields, objects' fields and list rows.
import { describe, expect, it, vi } from "vitest";
import { PostExecutionRule, PreExecutionRule, UnauthorizedError } from "gatehouse/graphql";
import { codes, MODES, paths, setup, type User } from "./harness.js";

const admin: User = { id: "u1", role: "admin" };
const customer: User = { id: "u2", role: "customer" };
type Ctx = { user?: User };

const sdl = `
  type Post @@Post { id: ID!  title: String!  status: String!  body: String @@Post.body  authorId: ID! }
  type User { id: ID!  email: String @@User.email  posts: [Post!]! }
  type Query { posts: [Post!]! @@Query.posts  post(id: ID!): Post @@Query.post  me: User }
  type Mutation { publish(id: ID!): Post @@Mutation.publish }
`;
const posts = [
  { id: "p1", title: "Public", status: "public", body: "b1", authorId: "u2" },
  { id: "p2", title: "Draft", status: "draft", body: "b2", authorId: "u1" },
];
function resolvers(published: string[]) {
  return {
    Query: { posts: () => posts, post: (_: unknown, { id }: { id: string }) => posts.find((p) => p.id === id), me: () => ({ id: "u2", email: "e@x.test" }) },
    Mutation: { publish: (_: unknown, { id }: { id: string }) => (published.push(id), posts.find((p) => p.id === id)) },
    User: { posts: (u: { id: string }) => posts.filter((p) => p.authorId === u.id) },
  };
}

class IsAuthenticated extends PreExecutionRule {
  execute(context: Ctx) {
    if (!context.user) throw this.error;
  }
}
class IsAdmin extends PreExecutionRule {
  override error = new UnauthorizedError("Admins only");
  execute(context: Ctx) {
    return context.user?.role === "admin";
  }
}
class CanPublish extends PreExecutionRule {
  async execute(context: Ctx, args: { id: string }) {
    await Promise.resolve();
    return posts.find((p) => p.id === args.id)?.authorId === context.user?.id;
  }
}
class CanReadBody extends PostExecutionRule {
  override error = "Not your draft";
  override selectionSet = "{ status authorId }";
  execute(context: Ctx, _args: unknown, _body: unknown, post: { status: string; authorId: string }) {
    if (post.status !== "public" && post.authorId !== context.user?.id) throw this.error;
  }
}

function make(mode: (typeof MODES)[number], register: "class" | "instance") {
  const published: string[] = [];
  const rules = register === "class"
    ? { IsAuthenticated, IsAdmin, CanPublish, CanReadBody }
    : { IsAuthenticated: new IsAuthenticated(), IsAdmin: new IsAdmin(), CanPublish: new CanPublish(), CanReadBody: new CanReadBody() };
  const h = setup({
    sdl,
    attach: {
      "Query.posts": { rules: ["IsAuthenticated"] },
      "Query.post": { rules: ["IsAuthenticated"] },
      "User.email": { rules: ["IsAdmin"] },
      "Post.body": { rules: ["CanReadBody"] },
      "Mutation.publish": { rules: ["IsAuthenticated", "CanPublish"] },
    },
    rules: rules as never,
    resolvers: resolvers(published),
    mode,
  });
  return { ...h, published };
}

describe.each(MODES)("class rules (%s)", (mode) => {
  describe.each(["class", "instance"] as const)("registered as %s", (register) => {
    it("a pre rule that throws this.error denies the field before it resolves", async () => {
      const h = make(mode, register);
      const result = await h.run("{ posts { id } }");
      expect(paths(result)).toEqual(["posts"]);
      expect(result.data).toBeNull();
    });

    it("a pre rule that returns nothing allows", async () => {
      const h = make(mode, register);
      expect(await h.run("{ posts { id } }", customer)).toEqual({ data: { posts: [{ id: "p1" }, { id: "p2" }] } });
    });

    it("a pre rule that returns false denies with its `error` (code FORBIDDEN)", async () => {
      const h = make(mode, register);
      const result = await h.run("{ me { id email } }", customer);
      expect(result.errors?.map((e) => [e.message, e.extensions?.code, e.path?.join(".")])).toEqual([["Admins only", "FORBIDDEN", "me.email"]]);
      expect(result.data).toEqual({ me: { id: "u2", email: null } });
      expect(await h.run("{ me { email } }", admin)).toEqual({ data: { me: { email: "e@x.test" } } });
    });

    it("an async pre rule on a mutation runs before the resolver; denied → the resolver never runs", async () => {
      const h = make(mode, register);
      expect(codes(await h.run('mutation { publish(id: "p2") { id } }', customer))).toEqual(["FORBIDDEN"]);
      expect(h.published).toEqual([]);
      expect(await h.run('mutation { publish(id: "p1") { id } }', customer)).toEqual({ data: { publish: { id: "p1" } } });
      expect(h.published).toEqual(["p1"]);
    });

    it("a post rule judges each row with its selectionSet fields, which the client does not see", async () => {
      const h = make(mode, register);
      const result = await h.run("{ posts { title body } }", customer);
      expect(result.errors?.map((e) => [e.message, e.path?.join(".")])).toEqual([["Not your draft", "posts.1.body"]]);
      expect(result.data).toEqual({ posts: [{ title: "Public", body: "b1" }, { title: "Draft", body: null }] });
      // The admin (u1) wrote the draft.
      expect(await h.run("{ posts { body } }", admin)).toEqual({ data: { posts: [{ body: "b1" }, { body: "b2" }] } });
    });

    it("a post rule's denial holds through nested lists and aliases", async () => {
      const h = make(mode, register);
      const result = await h.run("{ posts { b: body } }", customer);
      expect(result.errors?.map((e) => e.path?.join("."))).toEqual(["posts.1.b"]);
      expect(result.data).toEqual({ posts: [{ b: "b1" }, { b: null }] });
    });
  });
});

describe("class rules: details", () => {
  it("execute receives (context, fieldArgs) for pre rules and (context, fieldArgs, value, parent) for post rules", async () => {
    class Pre extends PreExecutionRule {
      execute() {
        return true;
      }
    }
    class Post extends PostExecutionRule {
      override selectionSet = "{ status }";
      execute() {
        return true;
      }
    }
    const pre = vi.spyOn(Pre.prototype, "execute");
    const post = vi.spyOn(Post.prototype, "execute");
    const h = setup({
      sdl,
      attach: { "Query.post": { rules: ["Pre"] }, "Post.body": { rules: ["Post"] } },
      rules: { Pre, Post },
      resolvers: resolvers([]),
      mode: "authSchema",
    });
    await h.run('{ post(id: "p1") { body } }', customer);
    expect(pre).toHaveBeenCalledTimes(1);
    expect((pre.mock.calls[0] as unknown[])[0]).toMatchObject({ user: customer });
    expect((pre.mock.calls[0] as unknown[])[1]).toEqual({ id: "p1" });
    expect(post).toHaveBeenCalledTimes(1);
    const [, args, value, parent] = post.mock.calls[0] as unknown[];
    expect(args).toEqual({});
    expect(value).toBe("b1");
    expect(parent).toMatchObject({ body: "b1", status: "public" });
  });

  it("a post rule on a list runs once per row (counted on the prototype)", async () => {
    class Row extends PostExecutionRule {
      execute() {
        return;
      }
    }
    const spy = vi.spyOn(Row.prototype, "execute");
    const h = setup({ sdl, attach: { "Post.body": { rules: ["Row"] } }, rules: { Row }, resolvers: resolvers([]), mode: "directive" });
    await h.run("{ posts { body } }", customer);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it("type-level rules apply to every field of the type", async () => {
    for (const mode of MODES) {
      const h = setup({ sdl, attach: { Post: { rules: ["IsAdmin"] } }, rules: { IsAdmin }, resolvers: resolvers([]), mode });
      const result = await h.run("{ posts { id } }", customer);
      expect(codes(result)).toContain("FORBIDDEN");
      // Post.id is non-null inside [Post!]!: the denial propagates to the root, as the GraphQL spec says.
      expect(result.data).toBeNull();
      expect((await h.run("{ posts { id } }", admin)).errors).toBeUndefined();
    }
  });

  it("a thrown error other than UnauthorizedError denies with the generic message (never sent)", async () => {
    class Broken extends PreExecutionRule {
      execute(): boolean {
        throw new Error("db password is hunter2");
      }
    }
    const h = setup({ sdl, attach: { "Query.posts": { rules: ["Broken"] } }, rules: { Broken }, resolvers: resolvers([]), mode: "authSchema" });
    const result = await h.run("{ posts { id } }", customer);
    expect(result.errors?.[0]).toMatchObject({ message: "Not authorized.", extensions: { code: "FORBIDDEN" } });
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });

  it("a rejected promise of UnauthorizedError denies with its message", async () => {
    class Later extends PreExecutionRule {
      async execute() {
        throw new UnauthorizedError("Later, maybe");
      }
    }
    const h = setup({ sdl, attach: { "Query.posts": { rules: ["Later"] } }, rules: { Later }, resolvers: resolvers([]), mode: "authSchema" });
    expect((await h.run("{ posts { id } }", customer)).errors?.[0]?.message).toBe("Later, maybe");
  });

  it("`error` given as a string becomes the message", async () => {
    class Str extends PreExecutionRule {
      override error = "Plain string";
      execute() {
        return false;
      }
    }
    const h = setup({ sdl, attach: { "Query.posts": { rules: ["Str"] } }, rules: { Str }, resolvers: resolvers([]), mode: "authSchema" });
    expect((await h.run("{ posts { id } }", customer)).errors?.[0]?.message).toBe("Plain string");
  });

  it("the default UnauthorizedError message is GraphQL AuthZ's", () => {
    expect(new UnauthorizedError().message).toBe("Unauthorized!");
    expect(new UnauthorizedError()).toBeInstanceOf(Error);
  });

  it("a class rule with an invalid selectionSet is refused at createAuthz", () => {
    class Bad extends PostExecutionRule {
      override selectionSet = "{ ...Named }";
      execute() {
        return true;
      }
    }
    expect(() => setup({ sdl, attach: { "Post.body": { rules: ["Bad"] } }, rules: { Bad }, mode: "authSchema" })).toThrow(TypeError);
  });

  it("a class that does not extend gatehouse's base classes is refused with a hint", () => {
    class Foreign {
      execute() {
        return true;
      }
    }
    expect(() => setup({ sdl, attach: {}, rules: { Foreign } as never, mode: "authSchema" })).toThrow(TypeError);
  });
});
