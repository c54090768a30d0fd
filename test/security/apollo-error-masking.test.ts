// With gatehouseApolloPlugin, a resolver's unexpected error goes through the
// server's formatError and every plugin's didEncounterErrors exactly as it
// does without gatehouse: a raw `SECRET-DB-ERROR password=…` never reaches the client.
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLFormattedError } from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import { createSecurity } from "gatehouse";
import { gatehouseApolloPlugin, gatehouseContext, type GatehouseApolloContext } from "gatehouse/apollo";
import { allow, createAuthz, deny } from "gatehouse/graphql";

const SECRET = "SECRET-DB-ERROR password=hunter2";

const typeDefs = /* GraphQL */ `
  type Item { id: ID!  name: String  broken: String }
  type Query { hello: String  boom: String  items: [Item!]!  hidden: String  needs(id: ID!): String }
  type Mutation { explode: Boolean }
`;

function setup() {
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: {
        hello: () => "world",
        boom: () => {
          throw new Error(SECRET);
        },
        items: () => [{ id: "1", name: "one" }, { id: "2", name: "two" }],
        hidden: () => "HIDDEN-VALUE",
        needs: () => "x",
      },
      Mutation: {
        explode: () => {
          throw new Error(`${SECRET} in a mutation`);
        },
      },
      Item: {
        broken: (item: { id: string }) => {
          if (item.id === "2") throw new Error(`${SECRET} row=2`);
          return "fine";
        },
      },
    },
  });
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, Nobody: deny },
    authSchema: { Query: { hidden: { __authz: { rules: ["Nobody"] } } }, "*": { "*": { __authz: { rules: ["Anyone"] } } } },
  });
  const security = createSecurity();
  return { schema, authz, security };
}

/** A server with a masking formatError and a didEncounterErrors recorder; with or without gatehouse. */
function apollo(withGatehouse: boolean) {
  const { schema, authz } = setup();
  const seen: Array<{ message: string; original?: string; path?: readonly (string | number)[] }> = [];
  const formatted: Array<{ formatted: GraphQLFormattedError; original?: string }> = [];
  const recorder: ApolloServerPlugin<GatehouseApolloContext> = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const e of errors) seen.push({ message: e.message, original: e.originalError?.message, path: e.path });
        },
      };
    },
  };
  const server = new ApolloServer<GatehouseApolloContext>({
    schema,
    plugins: withGatehouse ? [gatehouseApolloPlugin({ authz }), recorder] : [recorder],
    formatError: (formattedError, error) => {
      const original = (error as { originalError?: Error }).originalError;
      formatted.push({ formatted: formattedError, original: original?.message });
      const code = formattedError.extensions?.code;
      if (code === "FORBIDDEN" || code === "UNAUTHENTICATED") return formattedError;
      return { message: "Something went wrong.", path: formattedError.path, extensions: { code: "MASKED" } };
    },
  });
  return { server, seen, formatted };
}

const servers: ApolloServer<GatehouseApolloContext>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function run(withGatehouse: boolean, query: string, variables?: Record<string, unknown>) {
  const a = apollo(withGatehouse);
  await a.server.start();
  servers.push(a.server);
  const { security } = setup();
  const response = await a.server.executeOperation({ query, variables }, { contextValue: { security: await security.authenticate({}) } });
  const body = response.body.kind === "single" ? response.body.singleResult : null;
  return { ...a, body, status: response.http.status };
}

describe("Apollo: unexpected resolver errors go through the server's formatError and didEncounterErrors", () => {
  it.each([
    ["a root field", "{ hello boom }"],
    ["a field inside a list", "{ items { id name broken } }"],
    ["a named operation", "query Named { hello boom }"],
    ["a mutation", "mutation { explode }"],
  ])("%s: the client sees what it sees without gatehouse, never the raw message", async (_name, query) => {
    const plain = await run(false, query);
    const guarded = await run(true, query);
    expect(JSON.stringify(guarded.body)).not.toContain("SECRET-DB-ERROR");
    expect(JSON.stringify(guarded.body)).not.toContain("hunter2");
    expect(guarded.body).toEqual(plain.body);
    expect(guarded.status).toBe(plain.status);
    // Every plugin saw the original error, as without gatehouse.
    expect(guarded.seen).toEqual(plain.seen);
    expect(guarded.seen.some((e) => e.original?.includes("SECRET-DB-ERROR"))).toBe(true);
    expect(guarded.formatted.map((f) => f.original)).toEqual(plain.formatted.map((f) => f.original));
  });

  it("gatehouse denials still reach the client with their code, through formatError too", async () => {
    const guarded = await run(true, "{ hello hidden boom }");
    expect(guarded.body?.data).toEqual({ hello: "world", hidden: null, boom: null });
    const errors = guarded.body?.errors ?? [];
    // Anonymous caller: a denial is UNAUTHENTICATED.
    expect(errors.find((e) => e.path?.[0] === "hidden")?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(errors.find((e) => e.path?.[0] === "boom")).toMatchObject({ message: "Something went wrong.", extensions: { code: "MASKED" } });
    expect(JSON.stringify(guarded.body)).not.toContain("HIDDEN-VALUE");
    expect(guarded.formatted).toHaveLength(2);
  });

  it("variables that do not coerce are answered by Apollo exactly as without gatehouse", async () => {
    const query = "query($id: ID!) { needs(id: $id) }";
    const plain = await run(false, query, { id: { not: "an id" } });
    const guarded = await run(true, query, { id: { not: "an id" } });
    expect(guarded.body).toEqual(plain.body);
    expect(guarded.status).toBe(plain.status);
  });

  it('onDenied: "reject": no data, the denial passes formatError, no empty path', async () => {
    const { schema } = setup();
    const authz = createAuthz({
      schema,
      onDenied: "reject",
      rules: { Anyone: allow, Nobody: deny },
      authSchema: { Query: { hidden: { __authz: { rules: ["Nobody"] } } }, "*": { "*": { __authz: { rules: ["Anyone"] } } } },
    });
    const formatted: string[] = [];
    const server = new ApolloServer<GatehouseApolloContext>({
      schema,
      plugins: [gatehouseApolloPlugin({ authz })],
      formatError: (f) => (formatted.push(String(f.extensions?.code)), f),
    });
    await server.start();
    servers.push(server);
    const response = await server.executeOperation({ query: "{ hello hidden }" }, { contextValue: { security: await createSecurity().authenticate({}) } });
    const body = response.body.kind === "single" ? response.body.singleResult : null;
    expect(body?.data).toBeUndefined();
    expect(body?.errors?.length).toBeGreaterThan(0);
    expect(body?.errors?.every((e) => e.path === undefined || e.path.length > 0)).toBe(true);
    expect(formatted).toEqual(body?.errors?.map((e) => String(e.extensions?.code)));
    expect(JSON.stringify(body)).not.toContain("HIDDEN-VALUE");
  });

  it("masks unexpected errors itself when the query type offers no field to replay through", async () => {
    const schema = makeExecutableSchema({
      typeDefs: "type Query { needs(id: ID!): String }",
      resolvers: { Query: { needs: () => Promise.reject(new Error(SECRET)) } },
    });
    const authz = createAuthz({ schema, rules: { Anyone: allow }, authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } } } });
    const server = new ApolloServer<GatehouseApolloContext>({ schema, plugins: [gatehouseApolloPlugin({ authz })] });
    await server.start();
    servers.push(server);
    const response = await server.executeOperation({ query: '{ needs(id: "1") }' }, { contextValue: { security: await createSecurity().authenticate({}) } });
    const body = response.body.kind === "single" ? response.body.singleResult : null;
    expect(JSON.stringify(body)).not.toContain("SECRET-DB-ERROR");
    expect(body?.errors?.[0]).toMatchObject({ path: ["needs"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
  });

  it("over HTTP: the masked message, never the secret", async () => {
    const a = apollo(true);
    servers.push(a.server);
    const { security } = setup();
    const { url } = await startStandaloneServer(a.server, { listen: { port: 0, host: "127.0.0.1" }, context: gatehouseContext({ security }) });
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ hello boom }" }) });
    const text = await res.text();
    expect(text).not.toContain("SECRET-DB-ERROR");
    expect(JSON.parse(text)).toMatchObject({ data: { hello: "world", boom: null }, errors: [{ message: "Something went wrong.", path: ["boom"] }] });
    expect(a.seen.map((e) => e.original)).toEqual([SECRET]);
  });
});
