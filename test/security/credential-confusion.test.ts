// Malformed means refused: a request carrying any credential that is
// malformed, unclaimed or ambiguous is a 401 whatever else it carries — in
// authenticateRequest and in every entry built on it (Express, Lambda, Yoga,
// Apollo) and in the recipes app.
import { ApolloServer } from "@apollo/server";
import { createYoga } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecurity, InvalidCredentialsError, type Authenticator } from "gatehouse";
import { gatehouseApolloPlugin, gatehouseContext, type GatehouseApolloContext } from "gatehouse/apollo";
import { useGatehouse } from "gatehouse/envelop";
import { apiKeyAuthenticator, authenticateRequest, expressSecurity, generateApiKey, withSecurity } from "gatehouse/http";
import { setup as integrationSetup } from "../integrations/fixtures.js";
import { startApp, tokenFor, type TestApp } from "./fixtures/app.js";

const tokens: Authenticator = async ({ token }) => {
  if (!token) return null;
  if (token === "joe-token") return { id: "joe" };
  throw new InvalidCredentialsError("Token signature is invalid.");
};
const issued = generateApiKey();
const keys = apiKeyAuthenticator({
  lookup: async (id) => (id === issued.id ? { id, hash: issued.hash, identity: { id: "bot" } } : null),
});
const withKeys = createSecurity({ authenticators: [tokens, keys] });
const tokensOnly = createSecurity({ authenticators: [tokens] });

/** Malformed X-API-Key values a client might send beside a valid bearer token. */
const BAD_KEYS = ["not-a-gatehouse-key", "gh_short_x", "gh_AAAAAAAAAAAAAAAA_" + "b".repeat(32), "key with spaces", " "];

const headersOf = (h: Record<string, string>) => ({ headers: h });

describe("authenticateRequest: a valid bearer token never hides a bad X-API-Key", () => {
  it("the controls: the token alone and the key alone authenticate", async () => {
    expect((await authenticateRequest(withKeys, headersOf({ authorization: "Bearer joe-token" }))).identity?.id).toBe("joe");
    expect((await authenticateRequest(withKeys, headersOf({ "x-api-key": issued.key }))).identity?.id).toBe("bot");
  });

  it.each(BAD_KEYS)("Bearer <valid> + X-API-Key %j → INVALID_CREDENTIALS", async (key) => {
    await expect(authenticateRequest(withKeys, headersOf({ authorization: "Bearer joe-token", "x-api-key": key }))).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("a valid token and a valid key together are ambiguous → INVALID_CREDENTIALS", async () => {
    await expect(authenticateRequest(withKeys, headersOf({ authorization: "Bearer joe-token", "x-api-key": issued.key }))).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("an X-API-Key where no API-key authenticator exists is refused, not anonymous", async () => {
    await expect(authenticateRequest(tokensOnly, headersOf({ "x-api-key": issued.key }))).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(authenticateRequest(tokensOnly, headersOf({ "x-api-key": "well-formed-but-unknown" }))).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    // No credential at all stays anonymous; other Authorization schemes are not credentials of ours.
    expect((await authenticateRequest(tokensOnly, headersOf({}))).isAuthenticated).toBe(false);
    expect((await authenticateRequest(tokensOnly, headersOf({ authorization: "Basic am9lOng=" }))).isAuthenticated).toBe(false);
  });
});

describe("every entry refuses Bearer <valid> + a malformed X-API-Key with 401", () => {
  const bad = { authorization: "Bearer joe-token", "x-api-key": "not-a-gatehouse-key" };

  it("expressSecurity", async () => {
    const res = { statusCode: 0, headers: {} as Record<string, string>, body: "", setHeader(n: string, v: string) { this.headers[n] = v; }, end(b: string) { this.body = b; } };
    let nextCalled = false;
    await new Promise<void>((resolve) => {
      const end = res.end.bind(res);
      res.end = (b: string) => (end(b), resolve());
      expressSecurity(withKeys)({ headers: bad }, res, () => ((nextCalled = true), resolve()));
    });
    expect(nextCalled).toBe(false);
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
  });

  it("withSecurity (Lambda)", async () => {
    const handler = withSecurity(withKeys, async () => ({ statusCode: 200, body: "ran" }));
    const result = await handler({ headers: bad });
    expect(result.statusCode).toBe(401);
    expect(result.body).not.toContain("ran");
  });

  it("useGatehouse (Yoga)", async () => {
    const s = integrationSetup();
    const yoga = createYoga({ schema: s.schema, plugins: [useGatehouse({ security: s.security, authz: s.authz })], logging: false });
    const res = await yoga.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", ...bad },
      body: JSON.stringify({ query: "{ me }" }),
    });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toContain('"joe"');
  });

  it("gatehouseContext (Apollo)", async () => {
    const s = integrationSetup();
    const server = new ApolloServer<GatehouseApolloContext>({ schema: s.schema, plugins: [gatehouseApolloPlugin({ authz: s.authz })] });
    await server.start();
    try {
      const context = gatehouseContext({ security: s.security });
      const headers = new Map(Object.entries({ ...bad, "content-type": "application/json" }));
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: "POST", headers: headers as never, search: "", body: { query: "{ me }" } },
        context: () => context({ req: { headers: bad } }),
      });
      expect(response.status).toBe(401);
    } finally {
      await server.stop();
    }
  });
});

describe("the recipes app", () => {
  let t: TestApp;
  let joe: string;
  beforeAll(async () => {
    t = await startApp();
    joe = await tokenFor(t.url, "joe");
  });
  afterAll(async () => {
    await t?.app.close();
  });

  const post = (headers: Record<string, string>) =>
    fetch(`${t.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json", ...headers }, body: JSON.stringify({ query: "{ me { username } }" }) });

  it("answers joe's valid token (control)", async () => {
    const res = await post({ authorization: `Bearer ${joe}` });
    expect(((await res.json()) as { data: unknown }).data).toEqual({ me: { username: "joe" } });
  });

  it.each(BAD_KEYS.slice(0, 3))("refuses joe's valid token beside X-API-Key %j (401)", async (key) => {
    const res = await post({ authorization: `Bearer ${joe}`, "x-api-key": key });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('"joe"');
  });

  it("refuses an X-API-Key alone: the app issues none (401, not anonymous)", async () => {
    expect((await post({ "x-api-key": issued.key })).status).toBe(401);
  });
});

