import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule } from "gatehouse/graphql";
import { ALICE, attachResolvers, securityFor } from "./fixtures.js";

const sdl = /* GraphQL */ `
  type Query { notes: [Note!]! }
  type Note { id: ID! body: String owner: Owner }
  type Owner { id: ID! banned: Boolean! check(fail: Boolean): String! }
`;

/** Note.body is withheld when its owner is banned; Owner.check throws when asked to, which nulls the owner. */
function setup() {
  const seen: unknown[] = [];
  const NotBanned = postExecRule({ selectionSet: "{ owner { banned } }" })((_c, _a, _v, parent) => (seen.push(parent.owner), parent.owner?.banned !== true));
  const schema = buildSchema(sdl);
  attachResolvers(schema, {
    Query: { notes: () => [{ id: "n1", body: "banned-body", owner: { id: "o1", banned: true } }, { id: "n2", body: "ok-body", owner: { id: "o2", banned: false } }] },
    Owner: { check: (_o: unknown, { fail }: { fail?: boolean }) => { if (fail) throw new Error("check failed"); return "ok"; } },
  });
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, NotBanned },
    authSchema: { Query: { "*": { __authz: { rules: ["Anyone"] } } }, Owner: { "*": { __authz: { rules: ["Anyone"] } } }, Note: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["NotBanned"] } } } },
  });
  const run = (query: string) => authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(ALICE) } }) as Promise<ExecutionResult>;
  return { run, seen };
}

// A client field a post rule reads in place can be nulled during execution by an error in
// another field the client selected below it: the rule must still judge the real object.
describe("a client object field read by a post rule, nulled by a resolver error below it", () => {
  it("does not make the rule judge null: the denied value stays withheld", async () => {
    const h = setup();
    const result = await h.run("{ notes { body owner { banned check(fail: true) } } }");
    expect(JSON.stringify(result.data)).not.toContain("banned-body");
    expect(result.data).toEqual({ notes: [{ body: null, owner: null }, { body: "ok-body", owner: null }] });
    expect(result.errors?.map((e) => e.path)).toEqual([["notes", 0, "owner", "check"], ["notes", 1, "owner", "check"], ["notes", 0, "body"]]);
    expect(h.seen).toEqual([{ banned: true }, { banned: false }]);
  });

  it("reads the client's field when it selected only what the rule reads", async () => {
    const h = setup();
    const result = await h.run("{ notes { body owner { banned } } }");
    expect(result.data).toEqual({ notes: [{ body: null, owner: { banned: true } }, { body: "ok-body", owner: { banned: false } }] });
    expect(h.seen).toEqual([{ banned: true }, { banned: false }]);
  });
});
