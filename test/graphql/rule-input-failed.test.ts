import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule } from "gatehouse/graphql";
import { ALICE, attachResolvers, securityFor } from "./fixtures.js";

// Note.body is withheld when its owner is banned; the client does not select the owner, so it is fetched for the rule alone.
const sdl = /* GraphQL */ `
  type Query { notes: [Note!]! }
  type Note { id: ID! body: String title: String owner: Owner }
  type Owner { id: ID! banned: Boolean! }
`;

function setup(failing: { owner?: string; banned?: string }, mode: "enforce" | "audit" = "enforce") {
  const seen: unknown[] = [];
  const schema = buildSchema(sdl);
  attachResolvers(schema, {
    Query: { notes: () => ["n1", "n2", "n3"].map((id) => ({ id, body: `body-${id}`, title: `title-${id}` })) },
    Note: {
      owner: (n: { id: string }) => {
        if (n.id === failing.owner) throw new Error("owner store down");
        return { id: `o-${n.id}`, banned: n.id === "n1" };
      },
    },
    Owner: {
      banned: (o: { id: string; banned: boolean }) => {
        if (o.id === `o-${failing.banned}`) throw new Error("ban list down");
        return o.banned;
      },
    },
  });
  const NotBanned = postExecRule({ selectionSet: "{ owner { banned } }" })((_c, _a, _v, parent) => (seen.push(parent.owner), parent.owner?.banned !== true));
  const authz = createAuthz({
    schema,
    mode,
    rules: { Anyone: allow, NotBanned },
    authSchema: { Query: { "*": { __authz: { rules: ["Anyone"] } } }, Owner: { "*": { __authz: { rules: ["Anyone"] } } }, Note: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["NotBanned"] } } } },
  });
  const run = async (query: string) => JSON.parse(JSON.stringify(await authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(ALICE) } }))) as ExecutionResult;
  return { run, seen };
}

describe("a field fetched only for a post rule fails to resolve", () => {
  it("the row whose input failed is denied, never judged on the null left behind; other rows are judged as usual", async () => {
    for (const failing of [{ owner: "n2" }, { banned: "n2" }]) {
      const h = setup(failing);
      const result = await h.run("{ notes { id title body } }");
      expect(result.data).toEqual({ notes: [{ id: "n1", title: "title-n1", body: null }, { id: "n2", title: "title-n2", body: null }, { id: "n3", title: "title-n3", body: "body-n3" }] });
      expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["notes", 0, "body"], "FORBIDDEN"], [["notes", 1, "body"], "FORBIDDEN"]]);
      expect(JSON.stringify(result)).not.toMatch(/down|__gh/);
      // The rule judged only the rows whose input arrived.
      expect(h.seen).toEqual([{ banned: true }, { banned: false }]);
    }
  });

  it("in audit mode the row is reported, not withheld", async () => {
    const h = setup({ owner: "n2" }, "audit");
    const result = await h.run("{ notes { body } }");
    expect(result).toEqual({ data: { notes: [{ body: "body-n1" }, { body: "body-n2" }, { body: "body-n3" }] } });
  });
});
