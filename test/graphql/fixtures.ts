// Fixture schema for gatehouse/graphql tests: interfaces, unions, nested
// lists, non-null fields, mutations and a subscription. Every resolver call
// is counted so tests can prove a denied resolver never ran.
import { buildSchema, execute, isAbstractType, isObjectType, parse, type ExecutionResult, type GraphQLSchema } from "graphql";
import { expect } from "vitest";
import { createSecurityContext, type Identity, type Permission, type SecurityContext } from "gatehouse";
import { allow, authzDirectiveTypeDefs, createAuthz, hasRole, isAuthenticated, type Authz, type AuthzOptions } from "gatehouse/graphql";

export const typeDefs = /* GraphQL */ `
  interface Node { id: ID! }
  interface Content { id: ID! title: String! }
  type User implements Node { id: ID! name: String! email: String secret: String posts: [Post!]! friends: [[User!]!]! }
  type Post implements Node & Content { id: ID! title: String! status: String! body: String author: User! comments: [Comment!]! }
  type Comment implements Node { id: ID! text: String! author: User }
  union SearchResult = User | Post | Comment
  type Query {
    me: User
    users: [User!]!
    user(id: ID!): User
    post(id: ID!): Post
    posts(limit: Int): [Post!]!
    search(term: String!): [SearchResult!]!
    node(id: ID!): Node
    requiredSecret: String!
    grid: [[Int!]!]!
  }
  type Mutation { createPost(title: String!): Post!  deletePost(id: ID!): Boolean!  log(msg: String!): Boolean }
  type Subscription { postAdded: Post!  ticks: Int! }
`;

export interface UserRow { id: string; name: string; email: string; secret: string; friendIds: string[] }
export interface PostRow { id: string; title: string; status: string; body: string; authorId: string }

export const USERS: UserRow[] = [
  { id: "u1", name: "Alice", email: "alice@example.test", secret: "s-alice", friendIds: ["u2"] },
  { id: "u2", name: "Bob", email: "bob@example.test", secret: "s-bob", friendIds: ["u1"] },
];
export const POSTS: PostRow[] = [
  { id: "p1", title: "Hello", status: "public", body: "b1", authorId: "u1" },
  { id: "p2", title: "Draft", status: "draft", body: "b2", authorId: "u1" },
  { id: "p3", title: "Bob's", status: "public", body: "b3", authorId: "u2" },
];

/** Resolver call counts by "Type.field". */
export type Calls = Map<string, number>;

export function resolvers(calls: Calls) {
  const hit = (c: string) => calls.set(c, (calls.get(c) ?? 0) + 1);
  const user = (id: string) => USERS.find((u) => u.id === id) ?? null;
  const post = (id: string) => POSTS.find((p) => p.id === id) ?? null;
  return {
    Node: { __resolveType: (o: { authorId?: string; text?: string }) => (o.text ? "Comment" : o.authorId ? "Post" : "User") },
    Content: { __resolveType: () => "Post" },
    SearchResult: { __resolveType: (o: { authorId?: string; text?: string }) => (o.text ? "Comment" : o.authorId ? "Post" : "User") },
    Query: {
      me: (_: unknown, __: unknown, ctx: { security?: SecurityContext }) => (hit("Query.me"), ctx.security?.identity ? user(ctx.security.identity.id) : null),
      users: () => (hit("Query.users"), USERS),
      user: (_: unknown, { id }: { id: string }) => (hit("Query.user"), user(id)),
      post: (_: unknown, { id }: { id: string }) => (hit("Query.post"), post(id)),
      posts: (_: unknown, { limit }: { limit?: number }) => (hit("Query.posts"), POSTS.slice(0, limit ?? POSTS.length)),
      search: () => (hit("Query.search"), [USERS[0], POSTS[0], { id: "c1", text: "Nice", authorId: "u2" }]),
      node: (_: unknown, { id }: { id: string }) => (hit("Query.node"), user(id) ?? post(id)),
      requiredSecret: () => (hit("Query.requiredSecret"), "top-secret"),
      grid: () => (hit("Query.grid"), [[1, 2], [3]]),
    },
    Mutation: {
      createPost: (_: unknown, { title }: { title: string }) => (hit("Mutation.createPost"), { id: "p9", title, status: "draft", body: "", authorId: "u1" }),
      deletePost: () => (hit("Mutation.deletePost"), true),
      log: () => (hit("Mutation.log"), true),
    },
    Subscription: {
      postAdded: { subscribe: () => events(POSTS), resolve: (p: PostRow) => (hit("Subscription.postAdded"), p) },
      ticks: { subscribe: () => events([1, 2, 3]), resolve: (n: number) => n },
    },
    User: {
      secret: (u: UserRow) => (hit("User.secret"), u.secret),
      email: (u: UserRow) => (hit("User.email"), u.email),
      posts: (u: UserRow) => POSTS.filter((p) => p.authorId === u.id),
      friends: (u: UserRow) => [u.friendIds.map((id) => user(id)!), [user(u.id)!]],
    },
    Post: {
      author: (p: PostRow) => user(p.authorId),
      comments: (p: PostRow) => [{ id: `${p.id}-c1`, text: "Nice", authorId: "u2" }],
    },
    Comment: { author: (c: { authorId: string }) => user(c.authorId) },
  };
}

async function* events<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

type ResolverMap = Record<string, Record<string, unknown>>;

/**
 * Attaches resolvers like makeExecutableSchema does. Tests build schemas
 * with this module's graphql copy: under vitest, @graphql-tools would load
 * the CommonJS graphql-js while gatehouse gets the ESM one (two realms).
 */
export function attachResolvers(schema: GraphQLSchema, map: ResolverMap): void {
  for (const [typeName, fields] of Object.entries(map)) {
    const type = schema.getType(typeName);
    if (isAbstractType(type)) {
      type.resolveType = fields.__resolveType as never;
    } else if (isObjectType(type)) {
      for (const [name, value] of Object.entries(fields)) {
        const field = type.getFields()[name]!;
        if (typeof value === "function") field.resolve = value as never;
        else Object.assign(field, value);
      }
    }
  }
}

/** The fixture schema, optionally with gatehouse directives and extra SDL. */
export function makeSchema(opts: { sdl?: string; calls?: Calls } = {}): { schema: GraphQLSchema; calls: Calls } {
  const calls = opts.calls ?? new Map();
  const schema = buildSchema(`${authzDirectiveTypeDefs}\n${opts.sdl ?? typeDefs}`);
  attachResolvers(schema, resolvers(calls) as unknown as ResolverMap);
  return { schema, calls };
}

export const ALICE: Identity = { id: "u1", type: "user", roles: ["user"] };
export const BOB_ADMIN: Identity = { id: "u2", type: "user", roles: ["user", "admin"] };

export function securityFor(identity: Identity | null, permissions: Permission[] = []): SecurityContext {
  return createSecurityContext({ identity, permissions });
}

/** A harness around one authz instance. */
export function harness(options: Omit<AuthzOptions, "schema">, schemaOpts: { sdl?: string } = {}) {
  const { schema, calls } = makeSchema(schemaOpts);
  const authz: Authz = createAuthz({ schema, ...options });
  const run = async (query: string, identity: Identity | null = null, variableValues?: Record<string, unknown>, operationName?: string): Promise<ExecutionResult> =>
    await authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(identity) }, variableValues, operationName });
  const bare = async (query: string, identity: Identity | null = null, variableValues?: Record<string, unknown>): Promise<ExecutionResult> =>
    await execute({ schema, document: parse(query), contextValue: { security: securityFor(identity) }, variableValues });
  return {
    schema,
    calls,
    authz,
    run,
    bare,
    /** The result equals bare graphql-js execute, with no errors. */
    async expectAllowed(query: string, identity: Identity | null = null, variableValues?: Record<string, unknown>) {
      const result = await run(query, identity, variableValues);
      expect(result.errors).toBeUndefined();
      expect(result).toEqual(await bare(query, identity, variableValues));
      return result;
    },
    /** Some error has this code and path. */
    async expectDenied(query: string, code: string, path: ReadonlyArray<string | number>, identity: Identity | null = null, variableValues?: Record<string, unknown>) {
      const result = await run(query, identity, variableValues);
      const errors = (result.errors ?? []).map((e) => ({ path: e.path, code: e.extensions?.code }));
      expect(errors).toContainEqual({ path, code });
      return result;
    },
  };
}

/** A layout in which almost everything is allowed and a few fields are guarded. */
export function standardOptions(): Omit<AuthzOptions, "schema"> {
  return {
    rules: { Anyone: allow, IsAuthenticated: isAuthenticated, IsAdmin: hasRole("admin") },
    authSchema: {
      Query: { "*": { __authz: { rules: ["Anyone"] } }, users: { __authz: { rules: ["IsAuthenticated"] } }, requiredSecret: { __authz: { rules: ["IsAdmin"] } } },
      User: { "*": { __authz: { rules: ["Anyone"] } }, email: { __authz: { rules: ["IsAuthenticated"] } }, secret: { __authz: { rules: ["IsAdmin"] } } },
      Post: { "*": { __authz: { rules: ["Anyone"] } } },
      Comment: { "*": { __authz: { rules: ["Anyone"] } } },
      Mutation: { createPost: { __authz: { rules: ["IsAuthenticated"] } }, deletePost: { __authz: { rules: ["IsAdmin"] } }, log: { __authz: { rules: ["Anyone"] } } },
      Subscription: { postAdded: { __authz: { rules: ["IsAuthenticated"] } }, ticks: { __authz: { rules: ["Anyone"] } } },
    },
  };
}
