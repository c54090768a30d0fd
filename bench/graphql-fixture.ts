// One schema, one data set and one rule set, expressed for every contender of the GraphQL benchmark.
import { makeExecutableSchema } from "@graphql-tools/schema";
import { GraphQLError, type GraphQLSchema } from "graphql";

export const typeDefs = /* GraphQL */ `
  type Query { posts(limit: Int!): [Post!]!  post(id: ID!): Post }
  type Mutation { publishPost(id: ID!): Post }
  type Post { id: ID! title: String! body: String! status: String! author: User! comments: [Comment!]! }
  type User { id: ID! name: String! email: String }
  type Comment { id: ID! text: String! author: User! }
`;

/** The same schema with gatehouse directives, for the directive contender. */
export const directiveTypeDefs = /* GraphQL */ `
  type Query { posts(limit: Int!): [Post!]! @authz(rules: [IsAuthenticated])  post(id: ID!): Post @authz(rules: [IsAuthenticated]) }
  type Mutation { publishPost(id: ID!): Post @authz(rules: [IsEditor]) }
  type Post @public { id: ID! title: String! body: String! status: String! author: User! comments: [Comment!]! }
  type User { id: ID! @public name: String! @public email: String @authz(rules: [IsAdmin]) }
  type Comment @public { id: ID! text: String! author: User! }
`;

export interface BenchUser { id: string; roles: string[] }
export interface Row { id: string; title: string; body: string; status: string; authorId: string }

const users = Array.from({ length: 20 }, (_, i) => ({ id: `u${i}`, name: `User ${i}`, email: `user${i}@example.test` }));
const MAX = 1000;
export const posts: Row[] = Array.from({ length: MAX }, (_, i) => ({
  id: `p${i}`,
  title: `Post ${i}`,
  body: `Body of post ${i}`,
  status: i % 3 === 0 ? "draft" : "published",
  authorId: `u${i % users.length}`,
}));
const userById = new Map(users.map((u) => [u.id, u]));

interface Ctx { user?: BenchUser }
const isAdmin = (ctx: Ctx) => ctx.user?.roles.includes("admin") ?? false;

/** Resolvers without any authorization (bare). */
export function plainResolvers() {
  return {
    Query: {
      posts: (_: unknown, { limit }: { limit: number }) => posts.slice(0, limit),
      post: (_: unknown, { id }: { id: string }) => posts.find((p) => p.id === id) ?? null,
    },
    Mutation: { publishPost: (_: unknown, { id }: { id: string }) => ({ ...posts.find((p) => p.id === id)!, status: "published" }) },
    Post: {
      author: (p: Row) => userById.get(p.authorId),
      comments: (p: Row) => [
        { id: `${p.id}-c1`, text: "Nice", authorId: "u1" },
        { id: `${p.id}-c2`, text: "Great", authorId: "u2" },
      ],
    },
    Comment: { author: (c: { authorId: string }) => userById.get(c.authorId) },
  };
}

export function plainSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs, resolvers: plainResolvers() });
}

/** The rules written by hand inside resolvers: the baseline a careful team would write. */
export function handWrittenSchema(): GraphQLSchema {
  const r = plainResolvers();
  const denied = (code: string) => new GraphQLError("Not authorized.", { extensions: { code } });
  return makeExecutableSchema({
    typeDefs,
    resolvers: {
      ...r,
      Query: {
        posts: (s: unknown, a: { limit: number }, ctx: Ctx) => {
          if (!ctx.user) throw denied("UNAUTHENTICATED");
          return r.Query.posts(s, a);
        },
        post: (s: unknown, a: { id: string }, ctx: Ctx) => {
          if (!ctx.user) throw denied("UNAUTHENTICATED");
          return r.Query.post(s, a);
        },
      },
      Mutation: {
        publishPost: (s: unknown, a: { id: string }, ctx: Ctx) => {
          if (!ctx.user?.roles.includes("editor")) throw denied("FORBIDDEN");
          return r.Mutation.publishPost(s, a);
        },
      },
      User: {
        email: (u: { email: string }, _a: unknown, ctx: Ctx) => {
          if (!isAdmin(ctx)) throw denied("FORBIDDEN");
          return u.email;
        },
      },
    },
  });
}

export const checks = {
  isAuthenticated: (ctx: Ctx) => !!ctx.user,
  isAdmin,
  isEditor: (ctx: Ctx) => ctx.user?.roles.includes("editor") ?? false,
};

/** PBAC policies expressing the same rules. */
export const policies = [
  { id: "read-posts", effect: "allow", actions: ["query"], resources: ["Query::posts", "Query::post"], roles: ["user", "editor", "admin"] },
  { id: "publish", effect: "allow", actions: ["mutation"], resources: ["Mutation::publishPost"], roles: ["editor"] },
  { id: "post-fields", effect: "allow", actions: ["*"], resources: ["Post::*", "Comment::*", "User::id", "User::name"], roles: ["*"] },
  { id: "emails", effect: "allow", actions: ["*"], resources: ["User::email"], roles: ["admin"] },
];

export function listQuery(n: number, withDenied: boolean): string {
  return `query Posts { posts(limit: ${n}) { id title body status author { id name${withDenied ? " email" : ""} } } }`;
}

export const mutationQuery = `mutation Publish { publishPost(id: "p1") { id title status } }`;

export const deepFragmentQuery = `
  query Deep { posts(limit: 50) { ...PostParts comments { ...CommentParts } } }
  fragment PostParts on Post { id title ... on Post { body status author { ...UserParts } } }
  fragment CommentParts on Comment { id text author { ...UserParts ... on User { id } } }
  fragment UserParts on User { id name }
`;
