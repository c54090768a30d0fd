import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { schemaFromSdl } from "../../src/cli/load-project.js";
import { policyResourceProblems } from "../../src/cli/policy-resources.js";
import { authSchemaUsages, directiveUsages, fieldCoordinates, undefinedRules } from "../../src/cli/rule-usage.js";
import { resourceMatches } from "gatehouse/policy";

function setup() {
  const schema = schemaFromSdl(
    `type Query { a: A @authz(rules: [IsA, "IsB"]) b: String @public }
     type A @authz(rules: [IsType]) { x: String y: String @requireAuth b: B }
     type B { z: String }
     extend type B @authz(rules: [IsExt])
     interface Node { id: ID! }`,
    "t.graphql",
  );
  return { schema };
}

describe("rule usage", () => {
  it("lists object and interface field coordinates, sorted, without introspection", () => {
    expect(fieldCoordinates(setup().schema)).toEqual(["A.b", "A.x", "A.y", "B.z", "Node.id", "Query.a", "Query.b"]);
  });

  it("reads @authz on types, extensions and fields, bare names and strings", () => {
    expect(directiveUsages(setup().schema)).toEqual([
      { rule: "IsA", at: "Query.a", source: "@authz" },
      { rule: "IsB", at: "Query.a", source: "@authz" },
      { rule: "IsType", at: "A", source: "@authz" },
      { rule: "IsExt", at: "B", source: "@authz" },
    ]);
  });

  it("reads the auth schema at type and field level, wildcards and the short field form included", () => {
    const usages = authSchemaUsages({
      Query: { __authz: { rules: ["T"] }, a: { __authz: { rules: ["F"] } }, b: { rules: ["Short"] } },
      "*": { "*": { __authz: { rules: ["Deny"] } } },
      Bad: "not an object",
    });
    expect(usages.map((u) => `${u.rule}@${u.at}`)).toEqual(["T@Query", "F@Query.a", "Short@Query.b", "Deny@*.*"]);
  });

  it("groups undefined rules by name", () => {
    const usages = [
      { rule: "X", at: "A.a", source: "@authz" as const },
      { rule: "Y", at: "A.b", source: "@authz" as const },
      { rule: "X", at: "B", source: "authSchema" as const },
    ];
    expect([...undefinedRules(usages, new Set(["Y"]))]).toEqual([["X", [usages[0], usages[2]]]]);
  });

  it("keeps a schema that declares its own directives", () => {
    const schema = schemaFromSdl(`directive @authz(rules: [String!]!) on FIELD_DEFINITION\ntype Query { a: String @authz(rules: ["X"]) }`, "t");
    expect(directiveUsages(schema)).toEqual([{ rule: "X", at: "Query.a", source: "@authz" }]);
  });

  it.each([
    ["type Query { a: [String }", /invalid SDL: t:1:25: Syntax Error/],
    ["type Query { a: Missing }", /invalid SDL: t: Unknown type "Missing"/],
    ["type Foo { a: String }", /invalid schema: t: Query root type must be provided/],
  ])("rejects %j", (sdl, message) => {
    expect(() => schemaFromSdl(sdl, "t")).toThrow(message);
  });
});

describe("policyResourceProblems", () => {
  it("reports each pattern that matches no field, with its JSON path", () => {
    const schema = buildSchema("type Query { posts: String } type Post { id: ID }");
    const policies = { policies: [{ id: "p", resources: ["Query::posts", "Query::nope", "Post::*", "*::id", "Gone::*"] }] };
    const issues = policyResourceProblems(policies, fieldCoordinates(schema), resourceMatches);
    expect(issues.map((i) => i.path)).toEqual(["policies[0].resources[1]", "policies[0].resources[4]"]);
    expect(issues[0]!.message).toMatch(/"Query::nope" \(policy 'p'\) matches no field/);
  });

  it("returns nothing for missing or malformed input", () => {
    expect(policyResourceProblems(undefined, ["Query.a"], resourceMatches)).toEqual([]);
    expect(policyResourceProblems([{ id: "x" }], ["Query.a"], resourceMatches)).toEqual([]);
  });
});
