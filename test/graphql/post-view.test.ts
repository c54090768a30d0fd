// The parent a post rule sees when the fields it reads were injected: the
// response's own object with the injected values under their real names
// while the rule may read it, and never a key the client did not select in
// what is sent, whatever the rule answers and whenever it answers.
import { describe, expect, it } from "vitest";
import { postExecRule, type Rule } from "gatehouse/graphql";
import { ALICE, BOB_ADMIN, harness, standardOptions } from "./fixtures.js";

type Post = { status: string; author: { id: string } };
type Ctx = { security: { identity: { id: string } | null } };
const base = standardOptions();

function withBodyRule(rule: Rule, emailRule?: Rule) {
  return harness({
    ...base,
    rules: { ...base.rules, BodyRule: rule, ...(emailRule ? { EmailRule: emailRule } : {}) },
    authSchema: {
      ...base.authSchema,
      Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["BodyRule"] } } },
      ...(emailRule ? { User: { "*": { __authz: { rules: ["Anyone"] } }, email: { __authz: { rules: ["EmailRule"] } } } } : {}),
    },
  });
}

const canRead = (ctx: Ctx, post: Post) => post.status === "public" || post.author.id === ctx.security.identity?.id;
/** Every key of every object in the response, to show nothing but the client's selection is sent. */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      out.add(key);
      keysOf(inner, out);
    }
  }
  return out;
}

describe("the parent a post rule sees", () => {
  it("an async rule reads the injected fields after an await, and they are not sent", async () => {
    const h = withBodyRule(
      postExecRule({ selectionSet: "{ status author { id } }" })(async (ctx: Ctx, _a, _v, parent: Post) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return canRead(ctx, parent);
      }),
    );
    const result = await h.run("{ posts { id body } }", BOB_ADMIN);
    // p2 is Alice's draft: Bob is denied it, which he would not be were `status` gone when the rule read it.
    expect(result.data).toEqual({ posts: [{ id: "p1", body: "b1" }, { id: "p2", body: null }, { id: "p3", body: "b3" }] });
    expect(result.errors?.map((e) => e.path)).toEqual([["posts", 1, "body"]]);
    expect([...keysOf(result.data)].sort()).toEqual(["body", "id", "posts"]);
  });

  it("a rule that answers with a thenable reads them too", async () => {
    const h = withBodyRule(
      // Not a Promise: an object with a `then` of its own, as some data layers return.
      postExecRule({ selectionSet: "{ status author { id } }" })(
        (ctx: Ctx, _a, _v, parent: Post) =>
          ({
            then(resolve: (ok: boolean) => void) {
              setTimeout(() => resolve(canRead(ctx, parent)), 1);
            },
          }) as unknown as Promise<boolean>,
      ),
    );
    const result = await h.run("{ posts { id body } }", ALICE);
    expect(result).toEqual({ data: { posts: [{ id: "p1", body: "b1" }, { id: "p2", body: "b2" }, { id: "p3", body: "b3" }] } });
  });

  it("nothing injected is sent, whether the rule allows, denies, throws or answers later", async () => {
    const answers = [true, false, "throw", "later-false", "later-true"] as const;
    for (const answer of answers) {
      const h = withBodyRule(
        postExecRule({ selectionSet: "{ status author { id } }" })((_ctx, _a, _v, parent: Post) => {
          expect(parent.status).toBeTypeOf("string");
          if (answer === "throw") throw new Error("rule failed");
          if (answer === "later-false") return Promise.resolve(false);
          if (answer === "later-true") return Promise.resolve(true);
          return answer;
        }),
      );
      const result = await h.run("{ posts { id title body } }", ALICE);
      expect([...keysOf(result.data)].sort(), String(answer)).toEqual(["body", "id", "posts", "title"]);
      expect(JSON.stringify(result), String(answer)).not.toContain("__gh");
      expect(result.errors?.length ?? 0, String(answer)).toBe(answer === true || answer === "later-true" ? 0 : 3);
    }
  });

  it("nested objects with injected fields of their own keep the client's shape", async () => {
    const h = withBodyRule(
      postExecRule({ selectionSet: "{ status author { id } }" })((ctx: Ctx, _a, _v, parent: Post) => canRead(ctx, parent)),
      // User.email reads `name`, which the client does not select below.
      postExecRule({ selectionSet: "{ name }" })(async (_ctx, _a, _v, user: { name: string }) => user.name === "Alice"),
    );
    const result = await h.run("{ posts { body author { email } } }", ALICE);
    expect(result.data).toEqual({
      posts: [
        { body: "b1", author: { email: "alice@example.test" } },
        { body: "b2", author: { email: "alice@example.test" } },
        { body: "b3", author: { email: null } },
      ],
    });
    expect([...keysOf(result.data)].sort()).toEqual(["author", "body", "email", "posts"]);
  });

  it("a client key under a read field's name is never overwritten by what the rule reads", async () => {
    const seen: unknown[] = [];
    const h = withBodyRule(
      postExecRule({ selectionSet: "{ status author { id } }" })((ctx: Ctx, _a, _v, parent: Post) => {
        seen.push(parent.status);
        return canRead(ctx, parent);
      }),
    );
    const result = await h.run("{ posts { status: title body } }", BOB_ADMIN);
    expect(seen).toEqual(["public", "draft", "public"]);
    expect(result.data).toEqual({ posts: [{ status: "Hello", body: "b1" }, { status: "Draft", body: null }, { status: "Bob's", body: "b3" }] });
  });

  it("a parent kept past the rule's answer is the response's object, as sent", async () => {
    const kept: Array<Record<string, unknown>> = [];
    const h = withBodyRule(
      postExecRule({ selectionSet: "{ status author { id } }" })((ctx: Ctx, _a, _v, parent: Post) => {
        kept.push(parent as unknown as Record<string, unknown>);
        return canRead(ctx, parent);
      }),
    );
    const result = await h.run("{ posts { id body } }", ALICE);
    expect(kept).toHaveLength(3);
    for (const parent of kept) expect(Object.keys(parent).sort()).toEqual(["body", "id"]);
    expect((result.data as { posts: unknown[] }).posts).toEqual(kept.map((p) => ({ ...p })));
  });
});
