import { makeExecutableSchema } from "@graphql-tools/schema";
import fc from "fast-check";
import { execute, GraphQLError, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule, type Rule } from "gatehouse/graphql";
import { ALICE, securityFor } from "./fixtures.js";

// The post-execution walk judges rows after graphql-js built them, tracking
// each row's position itself. Whatever rows are denied, at whatever depth,
// the answer must be the one graphql-js gives when the same checks throw
// inside the resolvers: the same data, the same errors at the same paths.
const typeDefs = /* GraphQL */ `
  type Query { feed: [Post]!  posts: [Post!]! }
  type Post { id: ID! status: String! body: String! note: String author: User }
  type User { id: ID! name: String! email: String }
`;

interface UserRow { id: string; name: string; email: string }
interface PostRow { id: string; status: string; body: string; note: string; author: UserRow | null }

const ME = ALICE.id;
/** The checks, written once: a body for published posts or the author; an email for its owner; names of "x" users never. */
const checks = {
  body: (post: { status: string; author: { id: string } | null }) => post.status === "published" || post.author?.id === ME,
  note: (post: { id: string }) => !post.id.endsWith("3"),
  email: (user: { id: string }) => user.id === ME,
  name: (user: { id: string }) => !user.id.startsWith("x"),
};

const denied = () => new GraphQLError("Not authorized.", { extensions: { code: "FORBIDDEN" } });

/** A resolver that throws the denial when `check` refuses the row, as a careful team writes it by hand. */
const guarded =
  <T>(check: (row: T) => boolean, read: (row: T) => unknown) =>
  (row: T) => {
    if (!check(row)) throw denied();
    return read(row);
  };

function bareResult(rows: PostRow[], query: string): ExecutionResult {
  // Synchronous throws, so graphql-js reports the errors in document order as the walk does.
  const sync = makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: { feed: () => rows, posts: () => rows },
      Post: { body: guarded(checks.body, (p: PostRow) => p.body), note: guarded(checks.note, (p: PostRow) => p.note) },
      User: { email: guarded(checks.email, (u: UserRow) => u.email), name: guarded(checks.name, (u: UserRow) => u.name) },
    },
  });
  return execute({ schema: sync, document: parse(query) }) as ExecutionResult;
}

/** The same checks as gatehouse post rules; `wait` makes every rule answer with a promise; `paths` records what `info.path` said. */
function gatehouseResult(rows: PostRow[], query: string, wait: boolean, paths?: string[]): Promise<ExecutionResult> {
  const schema = makeExecutableSchema({ typeDefs, resolvers: { Query: { feed: () => structuredClone(rows), posts: () => structuredClone(rows) } } });
  const answer = (ok: boolean) => (wait ? Promise.resolve(ok) : ok);
  const rules: Record<string, Rule> = {
    Anyone: allow,
    Body: postExecRule({ selectionSet: "{ status author { id } }" })((_c, _a, _v, p: { status: string; author: { id: string } | null }) => answer(checks.body(p))),
    Note: postExecRule({ selectionSet: "{ id }" })((_c, _a, _v, p: { id: string }, info) => {
      paths?.push(info.path.join("."));
      return answer(checks.note(p));
    }),
    Email: postExecRule({ selectionSet: "{ id }" })((_c, _a, _v, u: { id: string }) => answer(checks.email(u))),
    Name: postExecRule({ selectionSet: "{ id }" })((_c, _a, _v, u: { id: string }) => answer(checks.name(u))),
  };
  const anyone = { __authz: { rules: ["Anyone"] } };
  const authz = createAuthz({
    schema,
    rules,
    authSchema: {
      Query: { "*": anyone },
      Post: { "*": anyone, body: { __authz: { rules: ["Body"] } }, note: { __authz: { rules: ["Note"] } } },
      User: { "*": anyone, email: { __authz: { rules: ["Email"] } }, name: { __authz: { rules: ["Name"] } } },
    },
  });
  return Promise.resolve(authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(ALICE) } }));
}

const shape = (result: ExecutionResult) => ({ data: result.data ?? null, errors: (result.errors ?? []).map((e) => [e.path?.join("."), e.message, e.extensions?.code]) });

const userArb = fc.constantFrom("u1", "u2", "x1").map((id): UserRow => ({ id, name: `name ${id}`, email: `${id}@x` }));
const rowsArb = fc
  .array(fc.record({ status: fc.constantFrom("published", "draft"), author: fc.option(userArb, { nil: null }) }), { maxLength: 9 })
  .map((list) => list.map((r, i): PostRow => ({ id: `p${i}`, status: r.status, body: `body ${i}`, note: `note ${i}`, author: r.author })));
const QUERIES = [
  "{ feed { id body author { id email } } }",
  "{ feed { id note author { name email } body } }",
  "{ posts { id author { id email } note } }",
  "{ posts { id body } feed { id author { id name } note } }",
  "{ feed { author { email name } } posts { note author { email } } }",
];

describe("the post walk answers as graphql-js does with the checks in the resolvers", () => {
  it("for any rows and any denials, at every depth, the same data and the same errors at the same paths", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.constantFrom(...QUERIES), async (rows, query) => {
        expect(shape(await gatehouseResult(rows, query, false))).toEqual(shape(bareResult(rows, query)));
      }),
      { numRuns: 150 },
    );
  });

  it("the same when every rule answers with a promise, after the walk has moved past the row", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.constantFrom(...QUERIES), async (rows, query) => {
        expect(shape(await gatehouseResult(rows, query, true))).toEqual(shape(bareResult(rows, query)));
      }),
      { numRuns: 80 },
    );
  });

  it("a rule that reads info.path sees each row's own index", async () => {
    const rows: PostRow[] = Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, status: "published", body: `b${i}`, note: `n${i}`, author: null }));
    const paths: string[] = [];
    const result = await gatehouseResult(rows, "{ feed { id body note } }", false, paths);
    expect(paths).toEqual(["feed.0.note", "feed.1.note", "feed.2.note", "feed.3.note", "feed.4.note", "feed.5.note"]);
    expect(shape(result).errors).toEqual([["feed.3.note", "Not authorized.", "FORBIDDEN"]]);
  });

  it("a non-null denial in one row nulls that row only; the rows after it are judged at their own paths", async () => {
    const rows: PostRow[] = [
      { id: "p0", status: "published", body: "b0", note: "n0", author: { id: "u2", name: "n", email: "u2@x" } },
      { id: "p1", status: "draft", body: "b1", note: "n1", author: { id: "u2", name: "n", email: "u2@x" } },
      { id: "p2", status: "draft", body: "b2", note: "n2", author: { id: "u1", name: "n", email: "u1@x" } },
      { id: "p3", status: "published", body: "b3", note: "n3", author: { id: "u2", name: "n", email: "u2@x" } },
    ];
    const result = await gatehouseResult(rows, "{ feed { id body author { id email } } }", false);
    expect(shape(result).errors.map((e) => e[0])).toEqual(["feed.0.author.email", "feed.1.body", "feed.3.author.email"]);
    expect((result.data as { feed: unknown[] }).feed.map((p) => (p === null ? null : (p as { id: string }).id))).toEqual(["p0", null, "p2", "p3"]);
  });
});
