import { execute, GraphQLError, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { compileQuery } from "graphql-jit";
import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { allow, createAuthz, postExecRule, preExecRule, type QueryCompiler } from "gatehouse/graphql";
import { deniedNullableQuery, deniedPropagatesQuery, passesQuery, rowChecks, rowPolicies, rowSchema, type RowUser } from "../../bench/graphql-rows-fixture.js";

const ADMIN: RowUser = { id: "u0", admin: true };
const READER: RowUser = { id: "u1", admin: false };
interface Ctx { user: RowUser }

function ctxOf(user: RowUser | null) {
  const security = createSecurityContext({ identity: user && { id: user.id, roles: user.admin ? ["admin"] : ["user"] }, permissions: [] });
  return { user: user ?? { id: "", admin: false }, security };
}

/** The same rules over the same schema, with and without a query compiler. */
function pair(schema: GraphQLSchema, compile: QueryCompiler, extra: Record<string, unknown> = {}) {
  const options = {
    schema,
    rules: {
      Anyone: allow,
      Admin: preExecRule()((ctx: Ctx) => ctx.user.admin),
      CanReadBody: postExecRule({ selectionSet: "{ status author { id } }" })((ctx: Ctx, _a, _v, p: { status: string; author: { id: string } }) => rowChecks.canReadBody(ctx.user, p.status, p.author.id)),
      CanSeeEmail: postExecRule({ selectionSet: "{ id }" })((ctx: Ctx, _a, _v, u: { id: string }) => rowChecks.canSeeEmail(ctx.user, u.id)),
    },
    authSchema: {
      Query: { "*": { __authz: { rules: ["Anyone"] } } },
      Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["CanReadBody"] } }, status: { __authz: { rules: ["Admin"] } } },
      User: { "*": { __authz: { rules: ["Anyone"] } }, email: { __authz: { rules: ["CanSeeEmail"] } } },
    },
    ...extra,
  };
  return { plain: createAuthz(options), compiled: createAuthz({ ...options, compile }) };
}

const json = (r: unknown) => JSON.parse(JSON.stringify(r)) as ExecutionResult;

describe("compiled execution (graphql-jit)", () => {
  const schema = rowSchema();
  let compiles = 0;
  const counting: QueryCompiler = (s, d, o) => {
    compiles++;
    return compileQuery(s, d, o);
  };
  const { plain, compiled } = pair(schema, counting);
  const run = async (authz: typeof plain, document: DocumentNode, user: RowUser | null) => json(await authz.execute({ schema, document, contextValue: ctxOf(user) }));

  it("returns exactly what graphql-js execution returns, denials and errors included", async () => {
    const queries = [
      passesQuery(12),
      deniedNullableQuery(12),
      deniedPropagatesQuery(12),
      // The client selects the fields a rule reads under aliases: the rule still reads its own copies.
      "{ feed(limit: 8) { id status: title body author { id: name } } }",
      "query Q($n: Int!) { posts(limit: $n) { body status } }",
    ];
    const before = compiles;
    for (const query of queries) {
      for (const user of [ADMIN, READER, null]) {
        const document = parse(query);
        const expected = await run(plain, document, user);
        // The first request of a plan runs on graphql-js; the second on the compiled query.
        await run(compiled, document, user);
        expect(await run(compiled, document, user), `${query} as ${user?.id ?? "anonymous"}`).toEqual(expected);
      }
    }
    // Every query but the one with a denied pre-execution field ran compiled.
    expect(compiles - before).toBeGreaterThanOrEqual(queries.length);
  });

  it("never leaks what a post rule denies", async () => {
    const document = parse(deniedPropagatesQuery(30));
    await run(compiled, document, READER);
    const result = await run(compiled, document, READER);
    const text = JSON.stringify(result.data);
    expect(text).not.toMatch(/"Body of post (4|7|10|13)"/);
    expect(text).toContain("Body of post 1\"");
    expect(result.errors?.[0]).toMatchObject({ path: ["feed", 4, "body"], extensions: { code: "FORBIDDEN" } });
  });

  it("compiles a plan once, on its second request (a document sent once is never compiled)", async () => {
    const document = parse(passesQuery(3));
    const before = compiles;
    await run(compiled, document, ADMIN);
    expect(compiles - before).toBe(0);
    for (let i = 0; i < 5; i++) await run(compiled, document, ADMIN);
    expect(compiles - before).toBe(1);
  });

  it("runs on graphql-js when something is denied before execution", async () => {
    const document = parse("{ posts(limit: 3) { id status } }");
    const result = await run(compiled, document, READER);
    expect(result).toEqual(await run(plain, document, READER));
    expect(result.errors?.[0]).toMatchObject({ path: ["posts", 0, "status"], extensions: { code: "FORBIDDEN" } });
  });

  it("falls back to graphql-js when the compiler throws or refuses the document", async () => {
    const document = parse(deniedPropagatesQuery(10));
    const expected = await run(plain, document, READER);
    const throwing = pair(schema, () => {
      throw new Error("cannot compile");
    }).compiled;
    const refusing = pair(schema, () => ({ errors: [new GraphQLError("refused")] })).compiled;
    for (let i = 0; i < 3; i++) {
      expect(await run(throwing, document, READER)).toEqual(expected);
      expect(await run(refusing, document, READER)).toEqual(expected);
    }
  });

  it("leaves requests with custom resolvers to graphql-js", async () => {
    let called = 0;
    const never = pair(schema, () => {
      called++;
      return compileQuery(schema, parse("{ __typename }"));
    }).compiled;
    const document = parse(passesQuery(2));
    for (let i = 0; i < 3; i++) {
      const result = await never.execute({ schema, document, contextValue: ctxOf(ADMIN), fieldResolver: (source, _a, _c, info) => (source as Record<string, unknown>)[info.fieldName] });
      expect(result.errors).toBeUndefined();
    }
    expect(called).toBe(0);
  });

  it("applies policies that read the object to the compiled result", async () => {
    const viaPolicies = createAuthz({ schema, policies: rowPolicies });
    const viaCompiled = createAuthz({ schema, policies: rowPolicies, compile: compileQuery });
    for (const query of [passesQuery(10), deniedNullableQuery(10), deniedPropagatesQuery(10)]) {
      const document = parse(query);
      await run(viaCompiled, document, READER);
      expect(await run(viaCompiled, document, READER)).toEqual(await run(viaPolicies, document, READER));
    }
  });

  it("refuses a compile option that is not a function", () => {
    expect(() => createAuthz({ schema, compile: "jit" as never })).toThrow(/`compile` must be a query compiler/);
  });

  it("graphql-js and the compiled query agree on the bare data", () => {
    const document = parse(passesQuery(5));
    const compiledQuery = compileQuery(schema, document);
    if (!("query" in compiledQuery)) throw new Error("did not compile");
    expect(json(compiledQuery.query(undefined, {}, {}))).toEqual(json(execute({ schema, document })));
  });
});

describe("authz.execute over a server's own executor", () => {
  const schema = rowSchema();
  const { plain } = pair(schema, compileQuery);
  const args = (query: string, user: RowUser | null) => ({ schema, document: parse(query), contextValue: ctxOf(user) });

  it("runs the plan's document (with what the rules read) on the executor and judges its result", async () => {
    const seen: string[] = [];
    const executor = (a: Parameters<typeof execute>[0]) => {
      seen.push(JSON.stringify(a.document).includes("__gh") ? "augmented" : "client");
      return execute(a);
    };
    const query = deniedPropagatesQuery(12);
    const result = json(await plain.execute(args(query, READER), executor));
    expect(seen).toEqual(["augmented"]);
    expect(result).toEqual(json(await plain.execute(args(query, READER))));
  });

  it("keeps documents with @defer or @stream, and requests with denials, on graphql-js", async () => {
    let calls = 0;
    const executor = (a: Parameters<typeof execute>[0]) => {
      calls++;
      return execute(a);
    };
    await plain.execute(args("{ posts(limit: 2) { id ... @defer { body } } }", ADMIN), executor);
    await plain.execute(args("{ posts(limit: 2) @stream { id body } }", ADMIN), executor);
    // READER may not read status before execution: the gated schema runs.
    await plain.execute(args("{ posts(limit: 2) { id status } }", READER), executor);
    expect(calls).toBe(0);
  });

  it("fails closed when the executor answers a ruled operation with a stream", async () => {
    const streaming = () => ({ [Symbol.asyncIterator]: async function* () {} }) as unknown as ExecutionResult;
    const result = json(await plain.execute(args(passesQuery(2), ADMIN), streaming));
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
  });
});
