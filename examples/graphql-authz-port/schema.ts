// The example API: SDL, resolvers and data. Rules attach through the
// authSchema in rules.ts; gatehouse denies every field no rule covers, so
// the open fields say so explicitly with @public (GraphQL AuthZ allows by default).
import { buildSchema, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { authzDirectiveTypeDefs } from "gatehouse/graphql";

export const typeDefs = /* GraphQL */ `
  type User @public { id: ID! name: String! email: String! }
  type Post @public { id: ID! title: String! body: String! status: String! author: User! }
  type Query @public { users: [User!]! posts: [Post!]! }
  type Mutation { publishPost(postId: ID!): Post! }
`;

const users = [
  { id: "u1", name: "Ann", email: "ann@example.test" },
  { id: "u2", name: "Ben", email: "ben@example.test" },
];
const posts = [
  { id: "p1", title: "Public", body: "hello", status: "public", authorId: "u1" },
  { id: "p2", title: "Draft", body: "secret draft", status: "draft", authorId: "u2" },
];

/** Builds the executable schema (graphql-js only, no extra tooling). */
export function buildExampleSchema(): GraphQLSchema {
  const schema = buildSchema(`${authzDirectiveTypeDefs}\n${typeDefs}`);
  const query = schema.getQueryType()!.getFields();
  query.users!.resolve = () => users;
  query.posts!.resolve = () => posts;
  schema.getMutationType()!.getFields().publishPost!.resolve = (_: unknown, { postId }: { postId: string }) => ({
    ...posts.find((p) => p.id === postId)!,
    status: "public",
  });
  (schema.getType("Post") as GraphQLObjectType).getFields().author!.resolve = (p: { authorId: string }) =>
    users.find((u) => u.id === p.authorId);
  return schema;
}
