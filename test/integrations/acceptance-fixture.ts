// One API for the acceptance suites: real HS256 JWTs, a post rule and a
// policy that read the object, a non-null denial, mutations guarded before
// they run. Every integration serves this same API, so each suite checks
// the same answers over HTTP.
import { makeExecutableSchema } from "@graphql-tools/schema";
import { SignJWT } from "jose";
import { createSecurity, type SecurityContext } from "gatehouse";
import type { AuditEvent } from "gatehouse/audit";
import { allow, createAuthz, deny, postExecRule, preExecRule } from "gatehouse/graphql";
import { jwtAuthenticator } from "gatehouse/jwt";
import type { Policy } from "gatehouse/policy";

export const ISSUER = "https://id.acceptance.test/";
export const AUDIENCE = "https://api.acceptance.test";
const SECRET = "acceptance-secret-of-at-least-32-bytes!!";

/** Values only their owners may see; none may appear in a response or a log line of anyone else. */
export const SECRETS = { janeNotes: "JANE-PRIVATE-NOTES", classifiedBody: "CLASSIFIED-BODY", janeCode: "JANE-CODE", rootOnly: "ROOT-ONLY" } as const;

interface PostRow { id: string; title: string; body: string; notes: string; classified: boolean; authorId: string }
interface CodeRow { id: string; owner: string; code: string }

type Ctx = { security: SecurityContext };

export async function token(sub: string, opts: { roles?: string[]; expiresIn?: string | number; secret?: string; aud?: string } = {}): Promise<string> {
  return new SignJWT({ roles: opts.roles ?? ["author"] })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
    .setExpirationTime(opts.expiresIn ?? "1h")
    .sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

/** A token whose `exp` is an hour in the past. */
export function expiredToken(sub: string): Promise<string> {
  return token(sub, { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
}

/** Joe's token signed with a key the servers do not know. */
export const badlySignedToken = () => token("joe", { secret: "another-secret-of-at-least-32-bytes!!!" });

/** Credentials every integration refuses with 401 INVALID_CREDENTIALS, each made anew per test. */
export const BAD_TOKENS: ReadonlyArray<readonly [label: string, make: () => Promise<string>]> = [
  ["an expired token", () => expiredToken("joe")],
  ["a badly signed token", badlySignedToken],
  ["a token for another audience", () => token("joe", { aud: "https://other.test" })],
  ["a garbage token", async () => "not.a.jwt"],
];

export function acceptanceApi() {
  const posts: PostRow[] = [
    { id: "p1", title: "Joe's post", body: "JOE-BODY", notes: "JOE-NOTES", classified: false, authorId: "joe" },
    { id: "p2", title: "Jane's post", body: "JANE-BODY", notes: SECRETS.janeNotes, classified: false, authorId: "jane" },
    { id: "p3", title: "Classified", body: SECRETS.classifiedBody, notes: "N3", classified: true, authorId: "joe" },
  ];
  const codes: CodeRow[] = [
    { id: "c1", owner: "joe", code: "JOE-CODE" },
    { id: "c2", owner: "jane", code: SECRETS.janeCode },
  ];
  const calls = { editPost: 0, launch: 0, rootOnly: 0 };
  const audit: AuditEvent[] = [];
  const schema = makeExecutableSchema({
    typeDefs: /* GraphQL */ `
      type Query {
        hello: String
        posts: [Post!]!
        codes: [Code!]
        box: Box
        rootOnly: String
      }
      type Mutation {
        editPost(id: ID!, body: String!): Post
        launch: Boolean
      }
      type Post { id: ID! title: String! body: String notes: String classified: Boolean! author: User! }
      type User { id: ID! }
      type Code { id: ID! owner: String! code: String! }
      type Box { label: String! code: Code! }
    `,
    resolvers: {
      Query: {
        hello: () => "world",
        posts: () => posts,
        codes: () => codes,
        box: () => ({ label: "box", code: codes[1] }),
        rootOnly: () => (calls.rootOnly++, SECRETS.rootOnly),
      },
      Mutation: {
        editPost: (_: unknown, args: { id: string; body: string }) => {
          calls.editPost++;
          const post = posts.find((p) => p.id === args.id);
          if (post) post.body = args.body;
          return post ?? null;
        },
        launch: () => (calls.launch++, true),
      },
      Post: { author: (p: PostRow) => ({ id: p.authorId }) },
    },
  });
  const policies: Policy[] = [
    { id: "bodies", effect: "allow", actions: ["query"], resources: ["Post::body"], roles: ["*"] },
    { id: "no-classified", effect: "deny", actions: ["query"], resources: ["Post::body"], roles: ["*"], conditions: [{ field: "root.classified", operator: "equals", expected: [true] }] },
    // Fields with policies also carry an explicit `Anyone` rule: every rule that applies must allow,
    // and the `*.*` deny would otherwise decide them. On root fields `root` does not exist: the allow never matches, the deny always does.
    { id: "root-allow", effect: "allow", actions: ["query"], resources: ["Query::rootOnly"], roles: ["*"], conditions: [{ field: "root.open", operator: "equals", expected: [true] }] },
    { id: "launch-allow", effect: "allow", actions: ["mutation"], resources: ["Mutation::launch"], roles: ["*"] },
    { id: "launch-deny", effect: "deny", actions: ["mutation"], resources: ["Mutation::launch"], roles: ["*"], conditions: [{ field: "root.locked", operator: "equals", expected: [true] }] },
  ];
  const authz = createAuthz({
    schema,
    rules: {
      Anyone: allow,
      Nobody: deny,
      OwnNotes: postExecRule({ selectionSet: "{ author { id } }" })(
        (ctx: Ctx, _a: unknown, _v: unknown, post: { author: { id: string } }) => post.author.id === ctx.security.identity?.id,
      ),
      OwnCode: postExecRule({ selectionSet: "{ owner }" })((ctx: Ctx, _a: unknown, _v: unknown, row: { owner: string }) => row.owner === ctx.security.identity?.id),
      EditsOwn: preExecRule()((ctx: Ctx, args: { id: string }) => {
        const post = posts.find((p) => p.id === args.id);
        return post !== undefined && ctx.security.identity !== null && post.authorId === ctx.security.identity.id;
      }),
    },
    authSchema: {
      "*": { "*": { __authz: { rules: ["Nobody"] } } },
      Query: { hello: { __authz: { rules: ["Anyone"] } }, posts: { __authz: { rules: ["Anyone"] } }, codes: { __authz: { rules: ["Anyone"] } }, box: { __authz: { rules: ["Anyone"] } }, rootOnly: { __authz: { rules: ["Anyone"] } } },
      Mutation: { editPost: { __authz: { rules: ["EditsOwn"] } }, launch: { __authz: { rules: ["Anyone"] } } },
      Post: { id: { __authz: { rules: ["Anyone"] } }, title: { __authz: { rules: ["Anyone"] } }, classified: { __authz: { rules: ["Anyone"] } }, author: { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["Anyone"] } }, notes: { __authz: { rules: ["OwnNotes"] } } },
      User: { id: { __authz: { rules: ["Anyone"] } } },
      Code: { id: { __authz: { rules: ["Anyone"] } }, owner: { __authz: { rules: ["Anyone"] } }, code: { __authz: { rules: ["OwnCode"] } } },
      Box: { label: { __authz: { rules: ["Anyone"] } }, code: { __authz: { rules: ["Anyone"] } } },
    },
    policies,
    audit: (event) => audit.push(event),
  });
  const security = createSecurity({
    authenticators: [jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], secret: SECRET })],
    authorizers: [],
  });
  return { schema, authz, security, posts, calls, audit };
}

export type AcceptanceApi = ReturnType<typeof acceptanceApi>;

export interface GqlError { message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }
export interface GqlBody { data?: Record<string, any> | null; errors?: GqlError[] }
export interface Answer { status: number; headers: Headers; text: string; body: GqlBody }

export async function post(url: string, query: string, opts: { token?: string; headers?: Record<string, string>; variables?: Record<string, unknown> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/graphql-response+json, application/json", ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables: opts.variables }) });
  const text = await res.text();
  let body: GqlBody = {};
  try {
    body = JSON.parse(text) as GqlBody;
  } catch {
    // Not JSON: the assertion on `text` says so.
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** The errors' (code, path) pairs, sorted, for comparisons independent of order. */
export function denials(body: GqlBody): Array<[unknown, string]> {
  return (body.errors ?? []).map((e) => [e.extensions?.code, JSON.stringify(e.path ?? null)] as [unknown, string]).sort((a, b) => a[1].localeCompare(b[1]));
}

export const QUERIES = {
  notes: "{ posts { id notes } }",
  bodies: "{ posts { id body } }",
  codes: "{ codes { id code } }",
  box: "{ box { label code { code } } }",
  rootOnly: "{ rootOnly }",
  launch: "mutation { launch }",
  editJane: 'mutation { editPost(id: "p2", body: "JOE-WAS-HERE") { id body } }',
  editOwn: 'mutation { editPost(id: "p1", body: "JOE-EDITED") { id } }',
} as const;
