// Every policy example of docs/policy.md, run through createAuthz on a schema
// that has the types it names, with the outcome the doc claims.
import { readFileSync } from "node:fs";
import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import type { Identity } from "gatehouse";
import { createAuthz } from "gatehouse/graphql";
import { attachResolvers, securityFor } from "./fixtures.js";

const sdl = /* GraphQL */ `
  type Query { posts(limit: Int): [Post!]!  feed: [Post!]!  users: [User!]!  recipes: [Recipe]! }
  type Post { id: ID! title: String! }
  type User { id: ID! name: String! email: String password: String }
  type Recipe { id: ID title: String published: Boolean createdBy: User }
`;
const users = [
  { id: "alice", name: "Alice", email: "alice@example.test", password: "pw-a" },
  { id: "bob", name: "Bob", email: "bob@example.test", password: "pw-b" },
];
const recipes = [
  { id: "r1", title: "Soup", published: true, createdBy: users[1] },
  { id: "r2", title: "Draft of Alice", published: false, createdBy: users[0] },
  { id: "r3", title: "Draft of Bob", published: false, createdBy: users[1] },
];

function setup() {
  const doc = readFileSync(new URL("../../docs/policy.md", import.meta.url), "utf8");
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
  /** The last (most focused) example that defines policy `id`. */
  const example = (id: string): unknown => {
    const found = blocks.filter((b) => JSON.stringify(b).includes(`"id":"${id}"`));
    expect(found, `examples defining '${id}'`).not.toHaveLength(0);
    return found[found.length - 1];
  };
  const schema = buildSchema(sdl);
  attachResolvers(schema, {
    Query: { posts: () => [{ id: "p1", title: "Hello" }], feed: () => [{ id: "p1", title: "Hello" }], users: () => users, recipes: () => recipes },
  });
  const run = async (policies: unknown, query: string, identity: Identity | null): Promise<ExecutionResult> => {
    const authz = createAuthz({ schema, policies });
    return await authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(identity) } });
  };
  return { blocks, example, run };
}

const ALICE: Identity = { id: "alice", roles: ["user"] };
const codes = (r: ExecutionResult) => (r.errors ?? []).map((e) => [e.path?.join("."), e.extensions?.code]);

describe("docs/policy.md examples through createAuthz", () => {
  it("the file-format example: posts with small pages, names, no passwords, only one's own email", async () => {
    const { example, run } = setup();
    // The file covers the types' fields; a query field that returns users is added here.
    const file = example("small-pages") as { policies: unknown[] };
    const policies = [{ id: "list-users", effect: "allow", actions: ["query"], resources: ["Query::users"], roles: ["*"] }, ...file.policies];
    expect((await run(policies, "{ posts(limit: 100) { title } }", ALICE)).errors).toBeUndefined();
    expect((await run(policies, "{ posts { title } }", null)).errors).toBeUndefined();
    expect(codes(await run(policies, "{ posts(limit: 500) { title } }", ALICE))).toEqual([["posts", "FORBIDDEN"]]);
    const alice = await run(policies, "{ users { name email password } }", ALICE);
    expect(alice.data).toEqual({ users: [{ name: "Alice", email: "alice@example.test", password: null }, { name: "Bob", email: null, password: null }] });
    // Denials decided before execution are reported first, then those decided per object.
    expect(codes(alice)).toEqual([["users.0.password", "FORBIDDEN"], ["users.1.password", "FORBIDDEN"], ["users.1.email", "FORBIDDEN"]]);
    const anonymous = await run(policies, "{ users { name email } }", null);
    expect(anonymous.data).toEqual({ users: [{ name: "Alice", email: null }, { name: "Bob", email: null }] });
  });

  it("the exists guard: users without `banned` pass, banned users are denied", async () => {
    const { example, run } = setup();
    const policies = example("no-banned-users");
    expect((await run(policies, "{ feed { __typename } }", ALICE)).errors).toBeUndefined();
    expect((await run(policies, "{ feed { __typename } }", { ...ALICE, banned: false })).errors).toBeUndefined();
    expect(codes(await run(policies, "{ feed { __typename } }", { ...ALICE, banned: true }))).toEqual([["feed", "FORBIDDEN"]]);
  });

  it("the own-profile example: Alice sees only her email, anonymous callers none, each denial at its path", async () => {
    const { example, run } = setup();
    const policies = [
      { id: "queries", effect: "allow", actions: ["query"], resources: ["Query::users"], roles: ["*"] },
      ...(example("own-profile-only") as unknown[]),
    ];
    const alice = await run(policies, "{ users { id email } }", ALICE);
    expect(alice.data).toEqual({ users: [{ id: "alice", email: "alice@example.test" }, { id: "bob", email: null }] });
    expect(codes(alice)).toEqual([["users.1.email", "FORBIDDEN"]]);
    const anonymous = await run(policies, "{ users { email } }", null);
    expect(anonymous.data).toEqual({ users: [{ email: null }, { email: null }] });
    expect(codes(anonymous)).toEqual([["users.0.email", "UNAUTHENTICATED"], ["users.1.email", "UNAUTHENTICATED"]]);
  });

  it("the row-filter example's policies: published recipes, and one's own drafts", async () => {
    const { run } = setup();
    // The policies of the engine.plan example (a TypeScript block of the doc).
    const policies = [
      { id: "queries", effect: "allow", actions: ["query"], resources: ["Query::recipes", "User::*"], roles: ["*"] },
      { id: "published", effect: "allow", actions: ["query"], resources: ["Recipe::*"], roles: ["*"], conditions: [{ field: "root.published", operator: "equals", expected: true }] },
      { id: "own", effect: "allow", actions: ["query"], resources: ["Recipe::*"], roles: ["*"], conditions: [{ field: "root.createdBy.id", operator: "equals", expectedOnContext: ["user.id"] }] },
    ];
    const alice = await run(policies, "{ recipes { title } }", ALICE);
    expect(alice.data).toEqual({ recipes: [{ title: "Soup" }, { title: "Draft of Alice" }, { title: null }] });
    expect(codes(alice)).toEqual([["recipes.2.title", "FORBIDDEN"]]);
    const anonymous = await run(policies, "{ recipes { title } }", null);
    expect(anonymous.data).toEqual({ recipes: [{ title: "Soup" }, { title: null }, { title: null }] });
    expect(codes(anonymous).map((c) => c[1])).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED"]);
  });
});
