// Rules that read the object, end to end over HTTP with real JWTs, through
// every integration: Yoga (Envelop plugin), Apollo Server, Express
// middleware and the Lambda wrapper. Joe reads his drafts, never Jane's;
// Joe edits his posts, never Jane's.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { makeExecutableSchema } from "@graphql-tools/schema";
import express from "express";
import { createYoga } from "graphql-yoga";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPermissions, createSecurity, type SecurityContext } from "gatehouse";
import { gatehouseApolloPlugin, gatehouseContext, type GatehouseApolloContext } from "gatehouse/apollo";
import { useGatehouse } from "gatehouse/envelop";
import { allow, createAuthz, postExecRule, preExecRule } from "gatehouse/graphql";
import { expressSecurity, withSecurity, type LambdaHttpEvent, type SecurityRequest } from "gatehouse/http";
import { jwtAuthenticator } from "gatehouse/jwt";

const ISSUER = "https://id.example.test/";
const AUDIENCE = "https://blog.example.test";
const SECRET = "a-test-secret-of-at-least-32-bytes-long!";

interface PostRow { id: string; title: string; body: string; published: boolean; authorId: string }
const USERS = [{ id: "joe", email: "joe@example.test" }, { id: "jane", email: "jane@example.test" }];

/** `nullableRoot`: the query type also has a nullable field (Apollo replays errors through one). */
function fixture({ nullableRoot = false } = {}) {
  const posts: PostRow[] = [
    { id: "p1", title: "Joe's draft", body: "JOE-DRAFT-BODY", published: false, authorId: "joe" },
    { id: "p2", title: "Jane's draft", body: "JANE-DRAFT-BODY", published: false, authorId: "jane" },
    { id: "p3", title: "Jane's post", body: "JANE-PUBLIC-BODY", published: true, authorId: "jane" },
  ];
  const calls = { edit: 0, batch: 0 };
  const schema = makeExecutableSchema({
    typeDefs: /* GraphQL */ `
      type Query { posts: [Post!]! ${nullableRoot ? "hello: String" : ""} }
      type Mutation { editPost(id: ID!, body: String!): Post }
      type Post { id: ID! title: String! body: String published: Boolean! author: User! words: Int }
      type User { id: ID! email: String }
    `,
    resolvers: {
      Query: { posts: () => posts, ...(nullableRoot ? { hello: () => "world" } : {}) },
      Mutation: {
        editPost: (_: unknown, args: { id: string; body: string }) => {
          calls.edit++;
          const post = posts.find((p) => p.id === args.id);
          if (post) post.body = args.body;
          return post ?? null;
        },
      },
      Post: { author: (p: PostRow) => USERS.find((u) => u.id === p.authorId), words: (p: PostRow) => p.body.split("-").length },
    },
  });
  type Ctx = { security: SecurityContext };
  const authz = createAuthz({
    schema,
    rules: {
      Anyone: allow,
      // Reads the result: a draft's body only for its author.
      OwnOrPublished: postExecRule({ selectionSet: "{ published author { id } }" })(
        (ctx: Ctx, _a, _v, post: { published: boolean; author: { id: string } }) => post.published || post.author.id === ctx.security.identity?.id,
      ),
      // One call per field per operation, for every row at once.
      OwnWords: postExecRule({ selectionSet: "{ author { id } }", batch: true })((ctx: Ctx, _a: unknown, _v: unknown[], parents: Array<{ author: { id: string } }>) => {
        calls.batch++;
        return parents.map((p) => p.author.id === ctx.security.identity?.id);
      }),
      // Reads the stored object before the mutation runs.
      EditsOwn: preExecRule()((ctx: Ctx, args: { id: string }) => posts.find((p) => p.id === args.id)?.authorId === ctx.security.identity?.id),
    },
    authSchema: {
      Query: { posts: { __authz: { rules: ["Anyone"] } }, ...(nullableRoot ? { hello: { __authz: { rules: ["Anyone"] } } } : {}) },
      Mutation: { editPost: { __authz: { rules: ["EditsOwn"] } } },
      Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["OwnOrPublished"] } }, words: { __authz: { rules: ["OwnWords"] } } },
      User: { id: { __authz: { rules: ["Anyone"] } } },
    },
    // A policy that reads the object: an email only for its owner.
    policies: [{ id: "own-email", effect: "allow", actions: ["*"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "root.id", operator: "equals", expectedOnContext: ["user.id"] }] }],
  });
  const security = createSecurity({
    authenticators: [jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], secret: SECRET })],
    authorizers: [async (identity) => (identity ? [{ name: "blog.post", own: true, rwd: "rw" }] : [])],
  });
  return { schema, authz, security, posts, calls };
}

const token = (sub: string, secret = SECRET) =>
  new SignJWT({ sub }).setProtectedHeader({ alg: "HS256" }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime("5m").sign(new TextEncoder().encode(secret));

type Body = { data?: Record<string, unknown> | null; errors?: Array<{ path?: Array<string | number>; extensions?: { code?: string } }> };
type Post = (query: string, bearer?: string) => Promise<{ status: number; headers: Headers; body: Body }>;

const poster = (url: string): Post => async (query, bearer) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
};

const servers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(servers.splice(0).map((stop) => stop()));
});

function listen(server: Server): Promise<string> {
  servers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

const graphqlServers: Array<[string, () => Promise<{ post: Post; f: ReturnType<typeof fixture>; formatted?: boolean }>]> = [
  [
    "GraphQL Yoga + useGatehouse",
    async () => {
      const f = fixture();
      const yoga = createYoga({ schema: f.schema, plugins: [useGatehouse({ security: f.security, authz: f.authz })], logging: false });
      const url = await listen(createServer(yoga));
      return { post: poster(`${url}/graphql`), f };
    },
  ],
  ...[false, true].map((nullableRoot): (typeof graphqlServers)[number] => [
    `Apollo Server + gatehouseApolloPlugin${nullableRoot ? ", errors replayed through formatError" : ""}`,
    async () => {
      const f = fixture({ nullableRoot });
      const apollo = new ApolloServer<GatehouseApolloContext>({
        schema: f.schema,
        plugins: [gatehouseApolloPlugin({ authz: f.authz })],
        // Marks what went through the server's own error pipeline.
        formatError: (formatted) => ({ ...formatted, extensions: { ...formatted.extensions, formatted: true } }),
      });
      const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: "127.0.0.1" }, context: gatehouseContext({ security: f.security }) });
      servers.push(() => apollo.stop());
      return { post: poster(url), f, formatted: nullableRoot };
    },
  ]),
];

describe.each(graphqlServers)("rules that read the object, over HTTP: %s", (_name, start) => {
  let post: Post;
  let f: ReturnType<typeof fixture>;
  let joe: string;
  let formatted: boolean | undefined;
  beforeAll(async () => {
    ({ post, f, formatted } = await start());
    joe = await token("joe");
  });

  it("Joe reads his own draft and published posts, never Jane's draft or email", async () => {
    const r = await post("{ posts { id body author { id email } } }", joe);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({
      posts: [
        { id: "p1", body: "JOE-DRAFT-BODY", author: { id: "joe", email: "joe@example.test" } },
        { id: "p2", body: null, author: { id: "jane", email: null } },
        { id: "p3", body: "JANE-PUBLIC-BODY", author: { id: "jane", email: null } },
      ],
    });
    expect(r.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [["posts", 1, "body"], "FORBIDDEN"],
      [["posts", 1, "author", "email"], "FORBIDDEN"],
      [["posts", 2, "author", "email"], "FORBIDDEN"],
    ]);
    // Where Apollo can replay the errors, every one of them passes through its formatError.
    if (formatted) expect(r.body.errors?.map((e) => (e.extensions as { formatted?: boolean }).formatted)).toEqual([true, true, true]);
    const text = JSON.stringify(r.body);
    expect(text).not.toContain("JANE-DRAFT-BODY");
    expect(text).not.toContain("jane@example.test");
  });

  it("an anonymous request reads published bodies only: UNAUTHENTICATED where it is denied", async () => {
    const r = await post("{ posts { id body } }");
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ posts: [{ id: "p1", body: null }, { id: "p2", body: null }, { id: "p3", body: "JANE-PUBLIC-BODY" }] });
    expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED"]);
  });

  it("a batched rule judges every row of a field in one call per operation", async () => {
    const before = f.calls.batch;
    const r = await post("{ posts { id words } again: posts { id } }", joe);
    expect(f.calls.batch - before).toBe(1);
    expect(r.body.data?.posts).toEqual([{ id: "p1", words: 3 }, { id: "p2", words: null }, { id: "p3", words: null }]);
  });

  it("Joe never edits Jane's post: the resolver does not run; his own edit goes through", async () => {
    const before = f.calls.edit;
    const denied = await post('mutation { editPost(id: "p3", body: "hacked") { id } }', joe);
    expect(denied.body.data).toEqual({ editPost: null });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(f.calls.edit).toBe(before);
    expect(f.posts[2]!.body).toBe("JANE-PUBLIC-BODY");
    const own = await post('mutation { editPost(id: "p1", body: "JOE-NEW-BODY") { id body } }', joe);
    expect(own.body).toEqual({ data: { editPost: { id: "p1", body: "JOE-NEW-BODY" } } });
    expect(f.calls.edit).toBe(before + 1);
  });

  it("a token signed with another secret is refused with 401 before any rule runs", async () => {
    const before = f.calls.batch;
    const r = await post("{ posts { id words } }", await token("jane", "another-secret-of-at-least-32-bytes!!"));
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(r.body.errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
    expect(f.calls.batch).toBe(before);
  });
});

// REST: the same ownership, decided by the permission checks on the stored object.
const Blog = createPermissions({ prefix: "blog", fullAccess: { name: "blog.*" }, entities: [{ id: "post", permission: "blog.post", scopes: ["full", "own"], actions: [{ name: "rwd" }] }] } as const);

/** What a handler does: 401 without an identity, 403 when the object is not the caller's to edit. */
async function editAs(ctx: SecurityContext, posts: PostRow[], id: string, body: string): Promise<{ status: number; body: string }> {
  const row = posts.find((p) => p.id === id);
  if (!row) return { status: 404, body: "{}" };
  if (!ctx.identity) return { status: 401, body: JSON.stringify({ code: "UNAUTHENTICATED" }) };
  if (!(await Blog.for(ctx).canEdit("post", { createdBy: { id: row.authorId } }))) return { status: 403, body: JSON.stringify({ code: "FORBIDDEN" }) };
  row.body = body;
  return { status: 200, body: JSON.stringify({ id, body }) };
}

describe("rules that read the object, over HTTP: Express middleware", () => {
  let url: string;
  let f: ReturnType<typeof fixture>;
  beforeAll(async () => {
    f = fixture();
    const app = express();
    app.use(express.json());
    app.use(expressSecurity(f.security));
    app.put("/posts/:id", (req, res) => {
      void editAs((req as unknown as SecurityRequest).security!, f.posts, req.params.id, String((req.body as { body?: unknown }).body)).then((r) => res.status(r.status).type("json").send(r.body));
    });
    url = await listen(createServer(app));
  });
  const put = async (id: string, bearer?: string) =>
    fetch(`${url}/posts/${id}`, { method: "PUT", headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify({ body: "EDITED" }) });

  it("Joe edits his post, not Jane's; anonymous is 401; a forged token is 401 with WWW-Authenticate", async () => {
    const joe = await token("joe");
    expect((await put("p3", joe)).status).toBe(403);
    expect(f.posts[2]!.body).toBe("JANE-PUBLIC-BODY");
    expect((await put("p1", joe)).status).toBe(200);
    expect(f.posts[0]!.body).toBe("EDITED");
    expect((await put("p2")).status).toBe(401);
    const forged = await put("p2", await token("jane", "another-secret-of-at-least-32-bytes!!"));
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(f.posts[1]!.body).toBe("JANE-DRAFT-BODY");
  });
});

describe("rules that read the object: Lambda wrapper", () => {
  it("Joe edits his post, not Jane's; a forged token is 401", async () => {
    const f = fixture();
    const handler = withSecurity(f.security, (event: LambdaHttpEvent & { pathParameters: { id: string } }, ctx) =>
      editAs(ctx, f.posts, event.pathParameters.id, "EDITED").then((r) => ({ statusCode: r.status, body: r.body })),
    );
    const joe = await token("joe");
    const call = (id: string, bearer?: string) => handler({ version: "2.0", headers: bearer ? { authorization: `Bearer ${bearer}` } : {}, pathParameters: { id } });
    expect((await call("p3", joe)).statusCode).toBe(403);
    expect(f.posts[2]!.body).toBe("JANE-PUBLIC-BODY");
    expect((await call("p1", joe)).statusCode).toBe(200);
    expect((await call("p1")).statusCode).toBe(401);
    const forged = await call("p2", await token("jane", "another-secret-of-at-least-32-bytes!!"));
    expect(forged.statusCode).toBe(401);
    expect(f.posts[1]!.body).toBe("JANE-DRAFT-BODY");
  });
});
