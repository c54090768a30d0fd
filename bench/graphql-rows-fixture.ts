// Rules that read the object: "the body of a draft only for its author", "an email only
// for its owner or an admin". One schema, one data set, one rule set, for every contender.
import { makeExecutableSchema } from "@graphql-tools/schema";
import { GraphQLError, type GraphQLSchema } from "graphql";

export const rowTypeDefs = /* GraphQL */ `
  type Query { posts(limit: Int!): [Post!]!  feed(limit: Int!): [Post]!  published(limit: Int!): [Post!]! }
  type Post { id: ID! title: String! body: String! status: String! author: User! }
  type User { id: ID! name: String! email: String }
`;

export interface RowUser { id: string; admin: boolean }
interface PostRow { id: string; title: string; body: string; status: string; authorId: string }
interface UserRow { id: string; name: string; email: string }
interface Ctx { user: RowUser }

const users: UserRow[] = Array.from({ length: 20 }, (_, i) => ({ id: `u${i}`, name: `User ${i}`, email: `user${i}@example.test` }));
const userById = new Map(users.map((u) => [u.id, u]));
const MAX = 1000;
/** Every third post is a draft; authors rotate over 20 users. */
const rows: PostRow[] = Array.from({ length: MAX }, (_, i) => ({
  id: `p${i}`,
  title: `Post ${i}`,
  body: `Body of post ${i}`,
  status: i % 3 === 1 ? "draft" : "published",
  authorId: `u${i % users.length}`,
}));

/** Published posts only (same authors), for a reader whose every row passes by what the row holds. */
const publishedRows: PostRow[] = rows.map((row) => ({ ...row, status: "published" }));

/** The two checks, written once; every contender calls them on what it sees of the object. */
export const rowChecks = {
  canReadBody: (me: RowUser, status: string, authorId: string) => me.admin || status === "published" || authorId === me.id,
  canSeeEmail: (me: RowUser, userId: string) => me.admin || userId === me.id,
};

export function rowResolvers() {
  return {
    Query: {
      posts: (_: unknown, { limit }: { limit: number }) => rows.slice(0, limit),
      feed: (_: unknown, { limit }: { limit: number }) => rows.slice(0, limit),
      published: (_: unknown, { limit }: { limit: number }) => publishedRows.slice(0, limit),
    },
    Post: { author: (p: PostRow) => userById.get(p.authorId) },
  };
}

export function rowSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: rowTypeDefs, resolvers: rowResolvers() });
}

/** The checks written by hand inside resolvers: the baseline a careful team would write. */
export function rowHandWrittenSchema(): GraphQLSchema {
  const r = rowResolvers();
  const denied = () => new GraphQLError("Not authorized.", { extensions: { code: "FORBIDDEN" } });
  return makeExecutableSchema({
    typeDefs: rowTypeDefs,
    resolvers: {
      ...r,
      Post: {
        ...r.Post,
        body: (p: PostRow, _a: unknown, ctx: Ctx) => {
          if (!rowChecks.canReadBody(ctx.user, p.status, p.authorId)) throw denied();
          return p.body;
        },
      },
      User: {
        email: (u: UserRow, _a: unknown, ctx: Ctx) => {
          if (!rowChecks.canSeeEmail(ctx.user, u.id)) throw denied();
          return u.email;
        },
      },
    },
  });
}

/** Policies that read the object (`root.*`), for the policy contender. */
export const rowPolicies = [
  { id: "queries", effect: "allow", actions: ["query"], resources: ["Query::*"], roles: ["*"] },
  { id: "public-fields", effect: "allow", actions: ["*"], resources: ["Post::id", "Post::title", "Post::status", "Post::author", "User::id", "User::name"], roles: ["*"] },
  { id: "admin-reads-all", effect: "allow", actions: ["*"], resources: ["Post::body", "User::email"], roles: ["admin"] },
  { id: "published-body", effect: "allow", actions: ["*"], resources: ["Post::body"], roles: ["*"], conditions: [{ field: "root.status", operator: "equals", expected: ["published"] }] },
  { id: "own-body", effect: "allow", actions: ["*"], resources: ["Post::body"], roles: ["*"], conditions: [{ field: "root.author.id", operator: "equals", expectedOnContext: ["user.id"] }] },
  { id: "own-email", effect: "allow", actions: ["*"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "root.id", operator: "equals", expectedOnContext: ["user.id"] }] },
];

/** Every rule passes (as admin): body of every post, email of every author. */
export const passesQuery = (n: number) => `query P { posts(limit: ${n}) { id title body status author { id name email } } }`;
/**
 * Every rule passes by reading the object (as a reader, not an admin): each
 * body is allowed because its post is published, so every rule reads its row.
 */
export const readerPassesQuery = (n: number) => `query R { published(limit: ${n}) { id title body status author { id name } } }`;
/** Rows denied on a nullable field: emails of other authors (19 of 20 rows) are null with an error. */
export const deniedNullableQuery = (n: number) => `query D { posts(limit: ${n}) { id title status author { id name email } } }`;
/** A denial that propagates through non-null fields: a draft's `body: String!` nulls its `[Post]!` item. */
export const deniedPropagatesQuery = (n: number) => `query F { feed(limit: ${n}) { id title body author { id name } } }`;
