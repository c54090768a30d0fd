// The GraphQL layer is secure by default: every field of the schema has a rule.
import { makeExecutableSchema } from "@graphql-tools/schema";
import { describe, expect, it } from "vitest";
import { createAuthz } from "gatehouse/graphql";
import { authSchema, roles, rules, schema } from "../../../examples/recipes/src/graphql/project.js";

// graphql-yoga/@graphql-tools run under Node (CommonJS graphql), gatehouse's sources under Vite: share one copy.

describe("recipes GraphQL project", () => {
  it("leaves no field uncovered", () => {
    const authz = createAuthz({ schema: makeExecutableSchema({ typeDefs: schema }), rules, authSchema });
    expect(authz.coverage()).toEqual({ uncovered: [] });
  });

  it("exports the story's roles", () => {
    expect(Object.keys(roles)).toEqual(["author", "editor", "admin"]);
  });
});
