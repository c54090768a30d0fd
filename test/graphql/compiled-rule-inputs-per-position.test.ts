// A query compiler may annotate the document it compiles (graphql-jit writes
// each field's @skip/@include conditions onto the FieldNode, joined over every
// position the node is reached at). The fields a post rule reads must
// therefore be fresh nodes in every position of every augmented document, and
// a client field in a named fragment (one node, reached at several positions)
// never stands in for what a rule reads there: under another position's
// conditions the rule would judge its row without the fields it asked for.
import { execute, parse, type DocumentNode, type ExecutionArgs, type ExecutionResult } from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule, type AuthzOptions } from "gatehouse/graphql";
import { ALICE, makeSchema, securityFor } from "./fixtures.js";

const json = (r: unknown) => JSON.parse(JSON.stringify(r)) as ExecutionResult;

/** Bodies of posts written by a blocked author are withheld; the rule reads the author's id. */
const options = (): Omit<AuthzOptions, "schema"> => ({
  rules: {
    Anyone: allow,
    NotBlocked: postExecRule({ selectionSet: "{ author { id } }" })((_c, _a, _v, post: { author: { id: string } }) => post.author.id !== "u1"),
  },
  authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } }, Post: { body: { __authz: { rules: ["NotBlocked"] } } } },
});

// Posts p1 and p2 are by u1 (blocked), p3 by u2.
const CONDITIONAL = "query($i: Boolean!) { a: posts { ...P @include(if: $i) } b: posts { body } } fragment P on Post { body }";
const PLAIN = "{ posts { body } }";

/** An executor that compiles each document with graphql-jit, as a server's jit plugin does. */
function jitExecutor() {
  const cache = new Map<DocumentNode, CompiledQuery>();
  return (args: ExecutionArgs) => {
    let compiled = cache.get(args.document);
    if (!compiled) {
      const out = compileQuery(args.schema, args.document, args.operationName ?? undefined);
      if (!isCompiledQuery(out)) return execute(args);
      cache.set(args.document, (compiled = out));
    }
    return compiled.query(args.rootValue, args.contextValue, args.variableValues ?? {});
  };
}

describe("the fields a post rule reads, under a compiler that annotates the document", () => {
  const { schema } = makeSchema();
  const plain = createAuthz({ schema, ...options() });
  const expected = async (query: string, variableValues?: Record<string, unknown>) =>
    json(await plain.execute({ schema, document: parse(query), variableValues, contextValue: { security: securityFor(ALICE) } }));

  it("compiled: a rule input shared with a conditional position is still fetched where the field is unconditional", async () => {
    const compiled = createAuthz({ schema, ...options(), compile: compileQuery });
    const run = async (document: DocumentNode, variableValues?: Record<string, unknown>) =>
      json(await compiled.execute({ schema, document, variableValues, contextValue: { security: securityFor(ALICE) } }));
    const conditional = parse(CONDITIONAL);
    const want = await expected(CONDITIONAL, { i: false });
    expect(want.errors?.map((e) => e.path)).toEqual([["b", 0, "body"], ["b", 1, "body"]]);
    // The first request of a plan runs on graphql-js, the next ones compiled.
    for (let n = 0; n < 3; n++) expect(await run(conditional, { i: false })).toEqual(want);
    // Another document, without any condition, compiled after it.
    const other = parse(PLAIN);
    const wantOther = await expected(PLAIN);
    expect(wantOther.errors?.length).toBe(2);
    for (let n = 0; n < 3; n++) expect(await run(other)).toEqual(wantOther);
  });

  it("over a server's executor that compiles each document", async () => {
    const executor = jitExecutor();
    const run = async (document: DocumentNode, variableValues?: Record<string, unknown>) =>
      json(await plain.execute({ schema, document, variableValues, contextValue: { security: securityFor(ALICE) } }, executor));
    expect(await run(parse(CONDITIONAL), { i: false })).toEqual(await expected(CONDITIONAL, { i: false }));
    expect(await run(parse(PLAIN))).toEqual(await expected(PLAIN));
  });

  it("a client field in a named fragment, spread conditionally elsewhere, is not what the rule reads", async () => {
    const notDraft = (): Omit<AuthzOptions, "schema"> => ({
      rules: { Anyone: allow, NotDraft: postExecRule({ selectionSet: "{ status }" })((_c, _a, _v, post: { status: string }) => post.status !== "draft") },
      authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } }, Post: { body: { __authz: { rules: ["NotDraft"] } } } },
    });
    // At `b` the client selects `status` (through P) and `body`: the rule could read that `status`.
    const query = "query($i: Boolean!) { a: posts { ...P @include(if: $i) } b: posts { ...P body } } fragment P on Post { status }";
    const reference = createAuthz({ schema, ...notDraft() });
    const want = json(await reference.execute({ schema, document: parse(query), variableValues: { i: false }, contextValue: { security: securityFor(ALICE) } }));
    expect(want.errors?.map((e) => e.path)).toEqual([["b", 1, "body"]]);
    const compiled = createAuthz({ schema, ...notDraft(), compile: compileQuery });
    const document = parse(query);
    for (let n = 0; n < 3; n++) {
      expect(json(await compiled.execute({ schema, document, variableValues: { i: false }, contextValue: { security: securityFor(ALICE) } }))).toEqual(want);
    }
    // The executor is the server's: its own joining of conditions may drop the client's `status` at `b`,
    // but never makes the rule judge without it.
    const overExecutor = createAuthz({ schema, ...notDraft() });
    const executor = jitExecutor();
    for (let n = 0; n < 2; n++) {
      const result = json(await overExecutor.execute({ schema, document: parse(query), variableValues: { i: false }, contextValue: { security: securityFor(ALICE) } }, executor));
      expect((result.data?.b as Array<{ body: unknown }>).map((p) => p.body)).toEqual(["b1", null, "b3"]);
      expect(result.errors).toEqual(want.errors);
    }
  });
});
