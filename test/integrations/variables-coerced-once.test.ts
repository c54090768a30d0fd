// A custom scalar whose parsing fails once and then succeeds (state, a clock, a remote lookup):
// variables that fail to coerce are answered with graphql-js's errors, and the operation never
// runs without authorization because a second coercion happened to succeed.
import { ApolloServer } from "@apollo/server";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { GraphQLScalarType, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { gatehouseApolloPlugin, type GatehouseApolloContext } from "gatehouse/apollo";
import { createAuthz, deny } from "gatehouse/graphql";

function setup() {
  let parses = 0;
  const ran: string[] = [];
  const Flaky = new GraphQLScalarType({
    name: "Flaky",
    parseValue: (value) => {
      if (parses++ === 0) throw new TypeError("not yet");
      return value;
    },
  });
  const schema = makeExecutableSchema({
    typeDefs: "scalar Flaky type Query { secret(k: Flaky): String }",
    resolvers: { Flaky, Query: { secret: () => (ran.push("secret"), "TOP-SECRET") } },
  });
  // Nothing is allowed: any answer with data would be a bypass.
  const authz = createAuthz({ schema, rules: { Nobody: deny }, authSchema: { "*": { "*": { __authz: { rules: ["Nobody"] } } } } });
  const security = createSecurityContext({ identity: null, permissions: [] });
  return { schema, authz, security, ran };
}

const query = "query Q($k: Flaky) { secret(k: $k) }";

describe("variables that fail to coerce once", () => {
  it("authz.execute answers graphql-js's variable error and never hands the operation on unchecked", async () => {
    const h = setup();
    const result = (await h.authz.execute({ schema: h.schema, document: parse(query), variableValues: { k: "x" }, contextValue: { security: h.security } })) as ExecutionResult;
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/\$k/);
    expect(h.ran).toEqual([]);
    expect(JSON.stringify(result)).not.toContain("TOP-SECRET");
  });

  it("the Apollo plugin lets Apollo answer the variable error, over an operation that runs no resolver", async () => {
    const h = setup();
    const apollo = new ApolloServer<GatehouseApolloContext>({ schema: h.schema, plugins: [gatehouseApolloPlugin({ authz: h.authz })] });
    await apollo.start();
    try {
      const response = await apollo.executeOperation({ query, variables: { k: "x" } }, { contextValue: { security: h.security } });
      const body = JSON.stringify(response.body);
      expect(body).not.toContain("TOP-SECRET");
      expect(h.ran).toEqual([]);
    } finally {
      await apollo.stop();
    }
  });
});
