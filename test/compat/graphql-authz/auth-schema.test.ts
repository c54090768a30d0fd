// authSchema behaviours GraphQL AuthZ documents: wildcard layouts and
// their priority, explicit rules overriding wildcards (directives too),
// rules on interfaces applying to implementations, introspection, and
// entries for types the schema does not have (accepted, then reported).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { allow, createAuthz, deny, graphqlAuthzDirectiveTypeDefs, preExecRule } from "gatehouse/graphql";
import { checkCommand } from "../../../src/cli/commands/check.js";
import { codes, MODES, setup, type User } from "./harness.js";

const member: User = { id: "u1", role: "customer" };
const sdl = `
  interface Node { id: ID! @@Node.id }
  type User implements Node { id: ID!  name: String  createdAt: String }
  type Post implements Node { id: ID!  title: String  createdAt: String }
  type Query { user: User  post: Post  node: Node }
`;
const resolvers = {
  Node: { __resolveType: (o: { title?: string }) => (o.title ? "Post" : "User") },
  Query: { user: () => ({ id: "u1", name: "Ann", createdAt: "then" }), post: () => ({ id: "p1", title: "T", createdAt: "now" }), node: () => ({ id: "p1", title: "T" }) },
};

function wildcard(authSchema: Record<string, unknown>) {
  const schema = buildSchema(sdl.replace(/@@[A-Za-z.]+/g, ""));
  for (const [k, v] of Object.entries(resolvers.Query)) schema.getQueryType()!.getFields()[k]!.resolve = v as never;
  (schema.getType("Node") as { resolveType?: unknown }).resolveType = resolvers.Node.__resolveType;
  const authz = createAuthz({ schema, rules: { Reject: deny, Allow: allow, Rule01: allow, Rule02: allow, Rule03: deny }, authSchema: authSchema as never });
  return (query: string) => authz.execute({ schema, document: parse(query), contextValue: { security: createSecurityContext({ identity: { id: "u1" }, permissions: [] }) } });
}
const denied = async (p: ReturnType<typeof wildcard>, q: string) => codes(await p(q)).length > 0;

describe("wildcards", () => {
  it("'*' with type rules attaches to every object", async () => {
    const run = wildcard({ "*": { __authz: { rules: ["Reject"] }, "*": { __authz: { rules: ["Allow"] } } } });
    expect(await denied(run, "{ user { name } }")).toBe(true);
  });

  it("'*': { '*' } attaches to every field of every object", async () => {
    const run = wildcard({ "*": { "*": { __authz: { rules: ["Reject"] } } } });
    expect(await denied(run, "{ user { name } }")).toBe(true);
  });

  it("Type: { '*' } attaches to every field of that type only", async () => {
    const run = wildcard({ "*": { "*": { __authz: { rules: ["Allow"] } } }, User: { "*": { __authz: { rules: ["Reject"] } } } });
    expect(await denied(run, "{ user { name } }")).toBe(true);
    expect(await denied(run, "{ post { title } }")).toBe(false);
  });

  it("'*': { field } attaches to that field of every type", async () => {
    const run = wildcard({ "*": { "*": { __authz: { rules: ["Allow"] } }, createdAt: { __authz: { rules: ["Reject"] } } } });
    expect(await denied(run, "{ user { createdAt } }")).toBe(true);
    expect(await denied(run, "{ post { createdAt } }")).toBe(true);
    expect(await denied(run, "{ post { title } }")).toBe(false);
  });

  it("an explicit field rule overrides the type's wildcard", async () => {
    const run = wildcard({ "*": { "*": { __authz: { rules: ["Allow"] } } }, User: { "*": { __authz: { rules: ["Reject"] } }, id: { __authz: { rules: ["Allow"] } } } });
    expect(await denied(run, "{ user { id } }")).toBe(false);
    expect(await denied(run, "{ user { name } }")).toBe(true);
  });

  it("an explicit type rule overrides the '*' type rule", async () => {
    const run = wildcard({
      "*": { __authz: { rules: ["Reject"] }, "*": { __authz: { rules: ["Allow"] } } },
      Query: { __authz: { rules: ["Allow"] } },
      User: { __authz: { rules: ["Allow"] } },
    });
    expect(await denied(run, "{ user { name } }")).toBe(false);
    expect(await denied(run, "{ post { title } }")).toBe(true);
  });

  it("priority: Type.* beats *.field beats *.*; wildcards do not compose", async () => {
    const run = wildcard({ "*": { "*": { __authz: { rules: ["Rule01"] } }, id: { __authz: { rules: ["Rule02"] } } }, User: { "*": { __authz: { rules: ["Rule03"] } } } });
    expect(await denied(run, "{ user { id } }")).toBe(true); // Rule03 only
    expect(await denied(run, "{ post { id } }")).toBe(false); // Rule02 only
  });

  it("a directive on a field overrides wildcards", async () => {
    for (const mode of MODES) {
      const h = setup({ sdl, attach: { "Node.id": { rules: ["Reject"] } }, rules: { Reject: deny }, resolvers, mode });
      expect(codes(await h.run("{ post { id title } }", member))).toEqual(["FORBIDDEN"]);
    }
  });
});

describe("interfaces, unions and introspection", () => {
  it("a rule on an interface field applies to every implementation, however the field is reached", async () => {
    for (const mode of MODES) {
      const h = setup({ sdl, attach: { "Node.id": { rules: ["Reject"] } }, rules: { Reject: deny }, resolvers, mode });
      for (const q of ["{ node { id } }", "{ node { ... on Post { id } } }", "{ user { id } }", "{ post { ...F } } fragment F on Node { id }"]) {
        expect(codes(await h.run(q, member))).toEqual(["FORBIDDEN"]);
      }
      expect(await h.run("{ node { ... on Post { title } } }", member)).toEqual({ data: { node: { title: "T" } } });
    }
  });

  it("introspection is allowed by default, whatever the rules", async () => {
    const h = setup({ sdl, attach: {}, rules: {}, resolvers, mode: "authSchema" });
    const result = await h.run("{ __schema { queryType { name } } __typename }");
    expect(result).toEqual({ data: { __schema: { queryType: { name: "Query" } }, __typename: "Query" } });
  });
});

describe("authSchema entries for types the schema does not have", () => {
  const authSchema = { Ghost: { __authz: { rules: ["A"] } }, Phantom: { field: { __authz: { rules: ["A"] } } }, "*": { "*": { __authz: { rules: ["A"] } } } };
  const schema = () => buildSchema("type Query { a: String }");

  it("are accepted by createAuthz and reported by coverage()", () => {
    const authz = createAuthz({ schema: schema(), rules: { A: allow }, authSchema });
    expect(authz.coverage()).toEqual({ uncovered: [], unknownTypes: ["Ghost", "Phantom"] });
  });

  it("still need their rule names to exist", () => {
    expect(() => createAuthz({ schema: schema(), rules: {}, authSchema })).toThrow(/unknown rule "A"/);
  });

  it("coverage() has no unknownTypes key when every type exists", () => {
    expect(createAuthz({ schema: schema(), rules: { A: allow }, authSchema: { Query: { a: { __authz: { rules: ["A"] } } } } }).coverage()).toEqual({ uncovered: [] });
  });

  it("are a finding of `gatehouse check` (exit 1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-compat-"));
    writeFileSync(join(dir, "schema.graphql"), "type Query { a: String }");
    writeFileSync(join(dir, "auth.json"), JSON.stringify(authSchema));
    const out: string[] = [];
    const code = await checkCommand.run(["schema.graphql", "--auth", "auth.json", "--rules", "A"], { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir });
    expect(code).toBe(1);
    expect(out.join("")).toMatch(/Auth schema types that are not in the schema[^\n]*\(2\):\n {2}Ghost\n {2}Phantom/);
  });
});

describe("gatehouse check reads compositeRules and deepCompositeRules", () => {
  it("lists rule names used only inside composites but not defined", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-compat-"));
    writeFileSync(join(dir, "schema.graphql"), `${graphqlAuthzDirectiveTypeDefs}\ntype Query { a: String  b: String @authz(deepCompositeRules: [{ or: [{ id: DirGhost }, { id: A }] }]) }`);
    writeFileSync(join(dir, "auth.json"), JSON.stringify({ Query: { a: { __authz: { compositeRules: [{ or: ["A", "JsonGhost"] }] } } } }));
    const out: string[] = [];
    const code = await checkCommand.run(["schema.graphql", "--auth", "auth.json", "--rules", "A"], { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir });
    expect(code).toBe(1);
    expect(out.join("")).toMatch(/Rules used but not defined \(2\):/);
    expect(out.join("")).toContain("JsonGhost  used at Query.a (authSchema)");
    expect(out.join("")).toContain("DirGhost  used at Query.b (@authz)");
  });
});

describe("pre rules see field arguments; type rules see {}", () => {
  it("fieldArgs holds the field's arguments (variables resolved)", async () => {
    const seen: unknown[] = [];
    const spy = preExecRule()((_c, args) => (seen.push(args), true));
    const h = setup({
      sdl: "type Query { find(id: ID!, limit: Int = 3): String @@Query.find }",
      attach: { "Query.find": { rules: ["Spy"] } },
      rules: { Spy: spy },
      resolvers: { Query: { find: () => "x" } },
      mode: "directive",
    });
    await h.run("query Q($id: ID!) { find(id: $id) }", member, { id: "7" });
    expect(seen).toEqual([{ id: "7", limit: 3 }]);
  });
});
