import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule } from "gatehouse/graphql";
import { ALICE, attachResolvers, securityFor } from "./fixtures.js";

// Note.body is withheld when its owner is banned; the rule reads `owner { banned }`, which the client may select too.
const sdl = /* GraphQL */ `
  type Query { notes: [Note!]!  other: String }
  type Mutation { touchNotes: [Note!]! }
  type Note { id: ID! body: String owner: Owner }
  type Owner { id: ID! banned: Boolean! check(fail: Boolean): String! }
`;

function setup() {
  const calls = { notes: 0, touch: 0 };
  const rows = () => [{ id: "n1", body: "banned-body", owner: { id: "o1", banned: true } }, { id: "n2", body: "ok-body", owner: { id: "o2", banned: false } }];
  const schema = buildSchema(sdl);
  attachResolvers(schema, {
    Query: { notes: () => (calls.notes++, rows()), other: () => { throw new Error("unrelated failure"); } },
    Mutation: { touchNotes: () => (calls.touch++, rows()) },
    Owner: { check: (_o: unknown, { fail }: { fail?: boolean }) => { if (fail) throw new Error("check failed"); return "ok"; } },
  });
  const NotBanned = postExecRule({ selectionSet: "{ owner { banned } }" })((_c, _a, _v, parent) => parent.owner?.banned !== true);
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, NotBanned },
    authSchema: { Query: { "*": { __authz: { rules: ["Anyone"] } } }, Mutation: { "*": { __authz: { rules: ["Anyone"] } } }, Owner: { "*": { __authz: { rules: ["Anyone"] } } }, Note: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["NotBanned"] } } } },
  });
  const run = async (query: string) => JSON.parse(JSON.stringify(await authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(ALICE) } }))) as ExecutionResult;
  return { run, calls };
}

describe("a client field a post rule reads in place", () => {
  it("runs the query once when nothing fails, and once when only an unrelated field fails", async () => {
    const h = setup();
    expect(await h.run("{ notes { body owner { banned check } } }")).toEqual({ data: { notes: [{ body: null, owner: { banned: true, check: "ok" } }, { body: "ok-body", owner: { banned: false, check: "ok" } }] }, errors: [expect.objectContaining({ path: ["notes", 0, "body"] })] });
    expect(h.calls.notes).toBe(1);
    const withOther = await h.run("{ other notes { body owner { banned } } }");
    expect(withOther.data).toEqual({ other: null, notes: [{ body: null, owner: { banned: true } }, { body: "ok-body", owner: { banned: false } }] });
    expect(h.calls.notes).toBe(2);
  });

  it("when an error nulls it, the query runs again fetching the rule's own copy: the rule judges the real owner", async () => {
    const h = setup();
    const result = await h.run("{ notes { body owner { banned check(fail: true) } } }");
    expect(JSON.stringify(result)).not.toContain("banned-body");
    expect(result.data).toEqual({ notes: [{ body: null, owner: null }, { body: "ok-body", owner: null }] });
    expect(h.calls.notes).toBe(2);
  });

  it("a mutation is never read in place, so it never runs twice, and its rule judges the real owner", async () => {
    const h = setup();
    const result = await h.run("mutation { touchNotes { body owner { banned check(fail: true) } } }");
    expect(JSON.stringify(result)).not.toContain("banned-body");
    expect(result.data).toEqual({ touchNotes: [{ body: null, owner: null }, { body: "ok-body", owner: null }] });
    expect(h.calls.touch).toBe(1);
  });
});
