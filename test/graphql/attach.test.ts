import { describe, expect, it } from "vitest";
import { allow, deny, hasRole, isAuthenticated, preExecRule } from "gatehouse/graphql";
import { ALICE, BOB_ADMIN, harness, standardOptions, typeDefs } from "./fixtures.js";

const rules = { Anyone: allow, Nobody: deny, IsAuthenticated: isAuthenticated, IsAdmin: hasRole("admin") };
const r = (...names: string[]) => ({ __authz: { rules: names } });

describe("secure by default", () => {
  it("denies a field no rule covers", async () => {
    const h = harness({ rules, authSchema: { Query: { me: r("Anyone") }, User: { name: r("Anyone") } } });
    await h.expectAllowed("{ me { name } }", ALICE);
    const result = await h.expectDenied("{ me { name email } }", "FORBIDDEN", ["me", "email"], ALICE);
    expect(result.data).toEqual({ me: { name: "Alice", email: null } });
    expect(h.calls.get("User.email") ?? 0).toBe(0);
  });

  it("denies root fields without rules, before resolvers", async () => {
    const h = harness({ rules });
    await h.expectDenied("{ users { id } }", "UNAUTHENTICATED", ["users"], null);
    expect(h.calls.get("Query.users") ?? 0).toBe(0);
  });
});

describe("wildcards and precedence", () => {
  it("Type.field beats Type.* beats *.field beats *.*", async () => {
    const h = harness({
      rules,
      authSchema: {
        "*": { "*": r("Nobody"), name: r("Anyone") },
        Query: { "*": r("Anyone") },
        User: { "*": r("Nobody"), id: r("Anyone") },
        Post: { title: r("Anyone") },
      },
    });
    await h.expectAllowed("{ me { id } posts { title } }", ALICE); // User.id beats User.*; Post.title explicit
    await h.expectDenied("{ me { name } }", "FORBIDDEN", ["me", "name"], ALICE); // User.* beats *.name
    await h.expectAllowed("{ search(term: \"x\") { ... on User { id } } }", ALICE);
    await h.expectDenied("{ posts { author { id } } }", "FORBIDDEN", ["posts", 0, "author"], ALICE); // Post.author: *.* deny
    await h.expectDenied("{ posts { body } }", "FORBIDDEN", ["posts", 0, "body"], ALICE); // *.* deny
    const comment = await h.run('{ search(term: "x") { ... on Comment { text } } }', ALICE);
    expect(comment.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("type-level and field-level rules both apply", async () => {
    const h = harness({ rules, authSchema: { Query: { "*": r("Anyone") }, User: { __authz: { rules: ["IsAuthenticated"] }, "*": r("Anyone"), secret: r("IsAdmin") } } });
    await h.expectDenied('{ user(id: "u1") { name } }', "UNAUTHENTICATED", ["user", "name"], null);
    await h.expectAllowed('{ user(id: "u1") { name } }', ALICE);
    await h.expectDenied('{ user(id: "u1") { secret } }', "FORBIDDEN", ["user", "secret"], ALICE);
    await h.expectAllowed('{ user(id: "u1") { secret } }', BOB_ADMIN);
  });

  it("*.__authz is the fallback type rule", async () => {
    const h = harness({ rules, authSchema: { "*": { __authz: { rules: ["IsAuthenticated"] }, "*": r("Anyone") }, Query: { __authz: { rules: ["Anyone"] } } } });
    await h.expectAllowed("{ posts { id } }", ALICE);
    await h.expectDenied("{ posts { id } }", "UNAUTHENTICATED", ["posts", 0, "id"], null);
  });

  it("interface rules apply to implementations", async () => {
    const h = harness({ rules, authSchema: { "*": { "*": r("Anyone") }, Node: { id: r("IsAdmin") }, Content: { __authz: { rules: ["IsAuthenticated"] } } } });
    await h.expectDenied("{ me { id } }", "FORBIDDEN", ["me", "id"], ALICE);
    await h.expectAllowed("{ me { id } }", BOB_ADMIN);
    await h.expectDenied("{ posts { title } }", "UNAUTHENTICATED", ["posts", 0, "title"], null);
    await h.expectAllowed("{ posts { title } }", ALICE);
  });
});

describe("directives", () => {
  const sdl = typeDefs
    .replace("email: String secret: String", 'email: String @authz(rules: [IsAuthenticated]) secret: String @authz(rules: ["IsAdmin"])')
    .replace("type Post implements Node & Content {", "type Post implements Node & Content @public {")
    .replace("type Comment implements Node {", "type Comment implements Node @requireAuth {")
    .replace("me: User", "me: User @skipAuth")
    .replace("users: [User!]!", 'users: [User!]! @requireAuth(roles: ["admin"])')
    .replace("posts(limit: Int): [Post!]!", "posts(limit: Int): [Post!]! @public")
    .replace("type User implements Node {", "type User implements Node @authz(rules: [Anyone]) {")
    .replace("grid: [[Int!]!]!", "grid: [[Int!]!]! @authz(rules: [Nobody])");
  const setup = () => harness({ rules }, { sdl });

  it("@authz with bare and quoted names", async () => {
    const h = setup();
    await h.expectDenied("{ posts { author { email } } }", "UNAUTHENTICATED", ["posts", 0, "author", "email"], null);
    await h.expectAllowed("{ me { email } }", ALICE);
    await h.expectDenied("{ me { secret } }", "FORBIDDEN", ["me", "secret"], ALICE);
    await h.expectAllowed("{ me { secret } }", BOB_ADMIN);
    await h.expectDenied("{ grid }", "FORBIDDEN", ["grid"], BOB_ADMIN);
  });

  it("@public and @skipAuth allow; a @public type keeps explicit field rules", async () => {
    const h = setup();
    await h.expectAllowed("{ me { name } posts { id title author { name } } }", ALICE);
  });

  it("@requireAuth with and without roles", async () => {
    const h = setup();
    await h.expectDenied("{ posts { comments { text } } }", "UNAUTHENTICATED", ["posts", 0, "comments", 0, "text"], null);
    await h.expectAllowed("{ posts { comments { text } } }", ALICE);
    await h.expectDenied("{ users { name } }", "FORBIDDEN", ["users"], ALICE);
    await h.expectAllowed("{ users { name } }", BOB_ADMIN);
  });

  it("fields of a type-level @authz type are covered by it", async () => {
    const h = harness({ rules: { ...rules, Anyone: preExecRule()(() => true) } }, { sdl });
    expect(h.authz.coverage().uncovered).not.toContain("User.name");
  });
});

describe("standard layout sanity", () => {
  it("standardOptions leaves only Query.node etc. covered", () => {
    const h = harness(standardOptions());
    expect(h.authz.coverage().uncovered).toEqual([]);
  });
});
