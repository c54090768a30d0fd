import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { afterEach, describe, expect, it } from "vitest";
import { gatehouseApolloPlugin, gatehouseContext, type GatehouseApolloContext } from "gatehouse/apollo";
import { setup } from "./fixtures.js";

const servers: ApolloServer<GatehouseApolloContext>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function server() {
  const s = setup();
  const apollo = new ApolloServer<GatehouseApolloContext>({ schema: s.schema, plugins: [gatehouseApolloPlugin({ authz: s.authz })] });
  servers.push(apollo);
  const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: "127.0.0.1" }, context: gatehouseContext({ security: s.security }) });
  const post = async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: Array<{ path?: string[]; extensions?: { code?: string } }> } };
  };
  return { ...s, post };
}

describe("Apollo Server 5 plugin + context helper (over HTTP)", () => {
  it("anonymous and authenticated requests get per-field decisions", async () => {
    const { post } = await server();
    const anon = await post("{ hello me }");
    expect(anon.status).toBe(200);
    expect(anon.body.data).toEqual({ hello: "world", me: null });
    expect(anon.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const joe = await post("{ hello me secret }", { authorization: "Bearer joe-token" });
    expect(joe.body.data).toEqual({ hello: "world", me: "joe", secret: null });
    expect(JSON.stringify(joe.body)).not.toContain("TOP-SECRET");
    expect(joe.body.errors?.[0]).toMatchObject({ path: ["secret"], extensions: { code: "FORBIDDEN" } });
  });

  it("invalid credentials → 401 with WWW-Authenticate", async () => {
    const { post } = await server();
    const r = await post("{ hello }", { authorization: "Bearer forged" });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(r.body.errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
    expect(JSON.stringify(r.body)).not.toContain("forged");
  });

  it("denied mutations never run", async () => {
    const { post, touched } = await server();
    const r = await post("mutation { touch }");
    expect(r.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(touched).toEqual([]);
  });

  it("validates its options", () => {
    expect(() => gatehouseApolloPlugin({ authz: undefined as never })).toThrow(TypeError);
    expect(() => gatehouseContext({ security: undefined as never })).toThrow(TypeError);
  });
});
