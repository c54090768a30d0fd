// Subscriptions and queries over WebSocket (graphql-ws, as GraphQL Yoga's guide wires it):
// browsers cannot set headers on a WebSocket, so the client's credentials arrive in
// connectionParams and must be read with the same rules as HTTP headers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { createClient, type Client } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { GraphQLError } from "graphql";
import { createYoga } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { createSecurity, InvalidCredentialsError, type Authenticator } from "gatehouse";
import { useGatehouse } from "gatehouse/envelop";
import { allow, createAuthz, isAuthenticated } from "gatehouse/graphql";

interface Ctx { security: { identity: { id: string } | null } }

function app() {
  const schema = makeExecutableSchema({
    typeDefs: /* GraphQL */ `
      type Query { me: String  hello: String }
      type Subscription { whoami: String }
    `,
    resolvers: {
      Query: { me: (_: unknown, __: unknown, ctx: Ctx) => ctx.security.identity?.id ?? null, hello: () => "world" },
      Subscription: {
        whoami: {
          subscribe: async function* (_: unknown, __: unknown, ctx: Ctx) {
            yield { whoami: ctx.security.identity?.id ?? null };
          },
        },
      },
    },
  });
  const tokens: Authenticator = async ({ token }) => {
    if (!token) return null;
    if (token === "joe-token") return { id: "joe" };
    if (token === "ann-token") return { id: "ann" };
    throw new InvalidCredentialsError("Token signature is invalid.");
  };
  const keys: Authenticator = async ({ apiKey }) => (apiKey === "gh_key_ok" ? { id: "bot" } : apiKey ? Promise.reject(new InvalidCredentialsError()) : null);
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, Authenticated: isAuthenticated },
    authSchema: { Query: { me: { __authz: { rules: ["Authenticated"] } }, hello: { __authz: { rules: ["Anyone"] } } }, Subscription: { whoami: { __authz: { rules: ["Authenticated"] } } } },
  });
  return createYoga({ schema, logging: false, plugins: [useGatehouse({ security: createSecurity({ authenticators: [tokens, keys] }), authz })] });
}

let server: Server;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  const yoga = app();
  server = createServer(yoga);
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  // The wiring of Yoga's graphql-ws guide: the Envelop context holds graphql-ws's context (connectionParams) and the upgrade request.
  useServer(
    {
      // Yoga's execute/subscribe travel in rootValue, as in Yoga's guide.
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params });
        const document = parse(params.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        let contextValue: unknown;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          // A refused credential is the client's error (INVALID_CREDENTIALS), not the server's: answer it, do not close the socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return { schema, operationName: params.operationName, document, variableValues: params.variables, contextValue, rootValue: { execute, subscribe } };
      },
    },
    wss,
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${yoga.graphqlEndpoint}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await new Promise((resolve) => server.close(resolve));
});

/** Runs one operation over a new connection; resolves with every result, or the error the operation ended with. */
async function run(query: string, connectionParams?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ results: unknown[]; error?: unknown }> {
  class WithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({ url, webSocketImpl: WithHeaders, connectionParams, retryAttempts: 0, lazy: true });
  clients.push(client);
  const results: unknown[] = [];
  return new Promise((resolve) => {
    client.subscribe({ query }, { next: (r) => results.push(r), error: (error) => resolve({ results, error }), complete: () => resolve({ results }) });
  });
}

const codes = (outcome: { results: unknown[]; error?: unknown }) => {
  const errors = (outcome.error as Array<{ extensions?: { code?: string } }> | undefined) ?? (outcome.results[0] as { errors?: Array<{ extensions?: { code?: string } }> } | undefined)?.errors;
  return (Array.isArray(errors) ? errors : []).map((e) => e.extensions?.code);
};

describe("useGatehouse over graphql-ws: credentials in connectionParams", () => {
  it.each([
    ["Authorization", { Authorization: "Bearer joe-token" }, "joe"],
    ["authorization in lower case", { authorization: "Bearer joe-token" }, "joe"],
    ["X-API-Key", { "X-API-Key": "gh_key_ok" }, "bot"],
  ])("a subscription and a query see the identity of a token in %s", async (_label, params, id) => {
    expect((await run("subscription { whoami }", params)).results).toEqual([{ data: { whoami: id } }]);
    expect((await run("{ me }", params)).results).toEqual([{ data: { me: id } }]);
  });

  it("without credentials the operation is anonymous: protected fields are UNAUTHENTICATED, public ones answer", async () => {
    const outcome = await run("subscription { whoami }");
    expect(codes(outcome)).toEqual(["UNAUTHENTICATED"]);
    expect(JSON.stringify(outcome)).not.toContain("whoami\":\"");
    expect((await run("{ hello }", { other: "ignored" })).results).toEqual([{ data: { hello: "world" } }]);
  });

  it.each<[string, Record<string, unknown>, Record<string, string>?]>([
    ["a bad token", { Authorization: "Bearer forged" }],
    ["a bad API key", { "X-API-Key": "gh_nope" }],
    ["Bearer without a token", { Authorization: "Bearer" }],
    ["a token that is not a string", { Authorization: { token: "joe-token" } }],
    ["an API key that is not a string", { "x-api-key": 42 }],
    ["the same parameter twice, in two cases", { Authorization: "Bearer joe-token", authorization: "Bearer ann-token" }],
    ["a token and an API key", { Authorization: "Bearer joe-token", "X-API-Key": "gh_key_ok" }],
    ["a token in the parameters and another on the upgrade request", { Authorization: "Bearer joe-token" }, { authorization: "Bearer ann-token" }],
  ])("%s is refused with INVALID_CREDENTIALS, never anonymous", async (_label, params, headers) => {
    for (const query of ["subscription { whoami }", "{ hello }"]) {
      const outcome = await run(query, params, headers);
      expect(codes(outcome)).toEqual(["INVALID_CREDENTIALS"]);
      expect(JSON.stringify(outcome)).not.toMatch(/joe|ann|world|forged|gh_/);
    }
  });

  it("the same token in the parameters and on the upgrade request counts once", async () => {
    expect((await run("{ me }", { Authorization: "Bearer joe-token" }, { authorization: "Bearer joe-token" })).results).toEqual([{ data: { me: "joe" } }]);
  });

  it("a token only on the upgrade request is still read", async () => {
    expect((await run("{ me }", {}, { authorization: "Bearer ann-token" })).results).toEqual([{ data: { me: "ann" } }]);
  });
});
