import { makeExecutableSchema } from "@graphql-tools/schema";
import { execute, parse, type ExecutionResult, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import type { SecurityContext } from "gatehouse";
import { allow, createAuthz, deny, postExecRule, preExecRule } from "gatehouse/graphql";
import { allow as shieldAllow, fromShield, rule as shieldRule } from "gatehouse/graphql/shield";
import { ALICE, securityFor } from "./fixtures.js";

// Operations with a denied field run on the gated copy of the schema. Fields
// whose rules are all `allow` ask nothing there; every other field still asks.
const typeDefs = /* GraphQL */ `
  type Query { items: [Item!]! secret: String later: [Item!]! }
  type Item { id: ID! name: String note: String }
`;
const rows = [{ id: "1", name: "one", note: "n1" }, { id: "2", name: "two", note: "n2" }];

function setUp(extra: { noteRule?: "allow" | "post" | "pre" } = {}) {
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: {
        items: () => rows,
        secret: () => "s",
        // Resolves after a turn, so two requests interleave.
        later: () => new Promise((resolve) => setTimeout(() => resolve(rows), 5)),
      },
    },
  });
  const noteRule = extra.noteRule === "post" ? ["NoteAfter"] : extra.noteRule === "pre" ? ["NoteBefore"] : ["Anyone"];
  const authz = createAuthz({
    schema,
    rules: {
      Anyone: allow,
      Nobody: deny,
      NoteAfter: postExecRule({ selectionSet: "{ id }" })((_c, _a, _v, item: { id: string }) => item.id === "1"),
      NoteBefore: preExecRule()(() => false),
    },
    authSchema: {
      Query: { items: { __authz: { rules: ["Anyone"] } }, later: { __authz: { rules: ["Anyone"] } }, secret: { __authz: { rules: ["Nobody"] } } },
      Item: { "*": { __authz: { rules: ["Anyone"] } }, note: { __authz: { rules: noteRule } } },
    },
  });
  return { schema, authz };
}

const ctx = () => ({ security: securityFor(ALICE) });

describe("gated schema: fields every request may resolve", () => {
  it("resolve as usual beside a denied field, and a request's own fieldResolver still stands in for missing resolvers", async () => {
    const { schema, authz } = setUp();
    const upper = (source: unknown, _a: unknown, _c: unknown, info: GraphQLResolveInfo) => {
      const v = (source as Record<string, unknown>)[info.fieldName];
      return typeof v === "string" ? v.toUpperCase() : v;
    };
    const document = parse("{ secret later { id name note } }");
    // One request with a fieldResolver and one without, interleaved on the same gated schema.
    const [withResolver, without] = await Promise.all([
      authz.execute({ schema, document, contextValue: ctx(), fieldResolver: upper }),
      authz.execute({ schema, document, contextValue: ctx() }),
    ]);
    expect(withResolver.data).toEqual({ secret: null, later: [{ id: "1", name: "ONE", note: "N1" }, { id: "2", name: "TWO", note: "N2" }] });
    expect(without.data).toEqual({ secret: null, later: rows });
    expect(withResolver.errors?.map((e) => e.path)).toEqual([["secret"]]);
    // After both, a request without a fieldResolver is not affected by the earlier one.
    const again = await authz.execute({ schema, document, contextValue: ctx() });
    expect(again.data).toEqual({ secret: null, later: rows });
  });

  it("an open field resolves with whatever resolver the caller's schema holds at call time (tools that instrument it in place)", async () => {
    const { schema, authz } = setUp();
    const document = parse("{ secret items { id name } }");
    // The gated copy is built by the first operation with a denial.
    const first = await authz.execute({ schema, document, contextValue: ctx() });
    expect(first.data).toEqual({ secret: null, items: [{ id: "1", name: "one" }, { id: "2", name: "two" }] });
    const name = schema.getType("Item") as unknown as { getFields(): Record<string, { resolve?: unknown }> };
    const field = name.getFields().name!;
    expect(field.resolve).toBeUndefined();
    // Installed afterwards on a field that had no resolver, as an instrumenting plugin does.
    field.resolve = (source: { name: string }) => `[${source.name}]`;
    const instrumented = await authz.execute({ schema, document, contextValue: ctx() });
    expect(instrumented.data).toEqual({ secret: null, items: [{ id: "1", name: "[one]" }, { id: "2", name: "[two]" }] });
    // Removed again: back to the execute call's resolver (the default here).
    delete field.resolve;
    const plain = await authz.execute({ schema, document, contextValue: ctx() });
    expect(plain.data).toEqual(first.data);
  });

  it("a field with a post rule is not open: the rule still judges each row on the gated schema", async () => {
    const { schema, authz } = setUp({ noteRule: "post" });
    const result = await authz.execute({ schema, document: parse("{ secret items { id note } }"), contextValue: ctx() });
    expect(result.data).toEqual({ secret: null, items: [{ id: "1", note: "n1" }, { id: "2", note: null }] });
    expect(result.errors?.map((e) => e.path)).toEqual([["secret"], ["items", 1, "note"]]);
  });

  it("a field with a pre rule that denies is not open: it is denied on every row", async () => {
    const { schema, authz } = setUp({ noteRule: "pre" });
    const result = await authz.execute({ schema, document: parse("{ secret items { id note } }"), contextValue: ctx() });
    expect(result.data).toEqual({ secret: null, items: [{ id: "1", note: null }, { id: "2", note: null }] });
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [["secret"], "FORBIDDEN"],
      [["items", 0, "note"], "FORBIDDEN"],
      [["items", 1, "note"], "FORBIDDEN"],
    ]);
  });

  it("outside a request, the gated copy still denies every field that is not open", async () => {
    const { schema, authz } = setUp({ noteRule: "pre" });
    let gated: GraphQLSchema | undefined;
    schema.getQueryType()!.getFields().items!.resolve = (_s, _a, _c, info) => {
      gated = info.schema;
      return rows;
    };
    await authz.execute({ schema, document: parse("{ secret items { id } }"), contextValue: ctx() });
    expect(gated).toBeDefined();
    expect(gated).not.toBe(schema);
    // Run later, with no request registered: open fields resolve, a gated field is denied.
    const result = await execute({ schema: gated!, document: parse("{ items { id note } }"), contextValue: ctx() });
    expect(result.data).toEqual({ items: [{ id: "1", note: null }, { id: "2", note: null }] });
    expect(result.errors?.every((e) => e.extensions?.code === "FORBIDDEN")).toBe(true);
    const root = await execute({ schema: gated!, document: parse("{ secret }"), contextValue: ctx() });
    expect(root.data).toEqual({ secret: null });
    expect(root.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

// Each wrapper remembers the check it used for the last row (one context, one
// field-node array), so a list's rows skip the request lookup. What it
// remembers must never serve another request, interleaved or after it.
describe("gated schema: a wrapper's remembered check", () => {
  function sourceRuled() {
    const schema = makeExecutableSchema({
      typeDefs,
      resolvers: { Query: { items: () => rows, secret: () => "s", later: () => new Promise((resolve) => setTimeout(() => resolve(rows), 2)) } },
    });
    // Judged inside the resolver, on each row: only a signed-in caller reads a note.
    const signedIn = shieldRule({ cache: "no_cache" })((_item, _a, context: { security: SecurityContext }) => context.security.identity !== null);
    const authz = createAuthz({ schema, ...fromShield({ Query: { "*": shieldAllow }, Item: { "*": shieldAllow, note: signedIn } }) });
    return { schema, authz };
  }
  const notesOf = (result: ExecutionResult) => (result.data as { later: Array<{ note: string | null }> }).later.map((i) => i.note);

  it("serves each of many interleaved requests its own decisions", async () => {
    const { schema, authz } = sourceRuled();
    const document = parse("{ later { id note } }");
    const callers = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? null : ALICE));
    const results = await Promise.all(callers.map((who) => authz.execute({ schema, document, contextValue: { security: securityFor(who) } })));
    results.forEach((result, i) => {
      expect(notesOf(result), `request ${i}`).toEqual(callers[i] ? ["n1", "n2"] : [null, null]);
      expect(result.errors?.length ?? 0, `request ${i}`).toBe(callers[i] ? 0 : 2);
    });
  });

  it("decides again for a context object used by a later request", async () => {
    const { schema, authz } = sourceRuled();
    const document = parse("{ later { id note } }");
    const context: { security: SecurityContext } = { security: securityFor(ALICE) };
    expect(notesOf(await authz.execute({ schema, document, contextValue: context }))).toEqual(["n1", "n2"]);
    context.security = securityFor(null);
    expect(notesOf(await authz.execute({ schema, document, contextValue: context }))).toEqual([null, null]);
    context.security = securityFor(ALICE);
    expect(notesOf(await authz.execute({ schema, document, contextValue: context }))).toEqual(["n1", "n2"]);
  });

  it("keeps a field denied before execution for one request from another running beside it", async () => {
    const schema = makeExecutableSchema({
      typeDefs,
      resolvers: { Query: { items: () => rows, secret: () => "s", later: () => new Promise((resolve) => setTimeout(() => resolve(rows), 2)) } },
    });
    const authz = createAuthz({
      schema,
      rules: { Anyone: allow, SignedIn: preExecRule()((context: { security: SecurityContext }) => context.security.identity !== null) },
      authSchema: {
        Query: { "*": { __authz: { rules: ["Anyone"] } } },
        Item: { "*": { __authz: { rules: ["Anyone"] } }, note: { __authz: { rules: ["SignedIn"] } } },
      },
    });
    const document = parse("{ secret later { id note } }");
    const callers = [ALICE, null, ALICE, null, null, ALICE];
    const results = await Promise.all(callers.map((who) => authz.execute({ schema, document, contextValue: { security: securityFor(who) } })));
    results.forEach((result, i) => expect(notesOf(result), `request ${i}`).toEqual(callers[i] ? ["n1", "n2"] : [null, null]));
  });
});
