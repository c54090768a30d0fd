import { createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { createSecurity } from "gatehouse";
import { useGatehouse } from "gatehouse/envelop";
import { setup } from "./fixtures.js";

function server() {
  const s = setup();
  const yoga = createYoga({ schema: s.schema, plugins: [useGatehouse({ security: s.security, authz: s.authz })], logging: false });
  const post = async (query: string, headers: Record<string, string> = {}) => {
    const response = await yoga.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string } }> } };
  };
  return { ...s, post };
}

describe("useGatehouse (GraphQL Yoga over HTTP)", () => {
  it("no credentials → anonymous: public fields answer, protected ones are UNAUTHENTICATED per field", async () => {
    const { post } = server();
    const r = await post("{ hello me }");
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ hello: "world", me: null });
    expect(r.body.errors).toEqual([expect.objectContaining({ path: ["me"], extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }) })]);
  });

  it("a valid bearer token puts the identity on context.security", async () => {
    const { post } = server();
    const r = await post("{ me hello }", { authorization: "Bearer joe-token" });
    expect(r.body).toEqual({ data: { me: "joe", hello: "world" } });
  });

  it("an API key authenticates too", async () => {
    const { post } = server();
    expect((await post("{ me }", { "x-api-key": "gh_key_ok" })).body.data).toEqual({ me: "bot" });
  });

  it.each([
    ["bad token", { authorization: "Bearer forged" }],
    ["bearer without token", { authorization: "Bearer" }],
    ["bad api key", { "x-api-key": "gh_nope" }],
  ])("invalid credentials (%s) → HTTP 401 with WWW-Authenticate, no data", async (_label, headers) => {
    const { post } = server();
    const r = await post("{ hello }", headers);
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(r.body.data ?? null).toBeNull();
    expect(r.body.errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
    expect(JSON.stringify(r.body)).not.toContain("forged");
  });

  it("authz.execute is swapped in: uncovered fields are denied, FORBIDDEN for identities", async () => {
    const { post } = server();
    const r = await post("{ hello secret adminNote }", { authorization: "Bearer joe-token" });
    expect(r.body.data).toEqual({ hello: "world", secret: null, adminNote: null });
    expect(JSON.stringify(r.body)).not.toContain("TOP-SECRET");
    expect(r.body.errors?.map((e) => [e.path?.[0], e.extensions?.code]).sort()).toEqual([["adminNote", "FORBIDDEN"], ["secret", "FORBIDDEN"]]);
    const admin = await post("{ adminNote }", { authorization: "Bearer admin-token" });
    expect(admin.body).toEqual({ data: { adminNote: "ADMIN-ONLY" } });
  });

  it("anonymous mutations never run their resolver", async () => {
    const { post, touched } = server();
    const r = await post("mutation { touch }");
    expect(r.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(touched).toEqual([]);
    await post("mutation { touch }", { authorization: "Bearer joe-token" });
    expect(touched).toEqual(["joe"]);
  });

  it("an authorizer failure is masked as an internal error, never anonymous", async () => {
    const s = setup();
    const broken = createSecurity({ authenticators: [async () => ({ id: "joe" })], authorizers: [async () => { throw new Error("db password=hunter2"); }] });
    const yoga = createYoga({ schema: s.schema, plugins: [useGatehouse({ security: broken, authz: s.authz })], logging: false });
    const response = await yoga.fetch("http://localhost/graphql", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer x" }, body: JSON.stringify({ query: "{ hello }" }) });
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain('"hello":"world"');
  });

  it("rejects a missing security pipeline at construction", () => {
    expect(() => useGatehouse({ security: undefined as never })).toThrow(TypeError);
  });
});

describe("useGatehouse runs authorized operations on the server's own executor", () => {
  it("uses the executor the engine hands to onExecute, and post rules still judge its result", async () => {
    const { makeExecutableSchema } = await import("@graphql-tools/schema");
    const { createAuthz, allow, postExecRule } = await import("gatehouse/graphql");
    const schema = makeExecutableSchema({
      typeDefs: "type Query { notes: [Note!]! } type Note { id: ID! owner: String! text: String }",
      resolvers: { Query: { notes: () => [{ id: "n1", owner: "joe", text: "joe's" }, { id: "n2", owner: "ann", text: "ann's" }] } },
    });
    const s = setup();
    const authz = createAuthz({
      schema,
      rules: {
        Anyone: allow,
        Own: postExecRule({ selectionSet: "{ owner }" })((ctx: { security: { identity: { id: string } | null } }, _a, _v, note: { owner: string }) => note.owner === ctx.security.identity?.id),
      },
      authSchema: { Query: { "*": { __authz: { rules: ["Anyone"] } } }, Note: { "*": { __authz: { rules: ["Anyone"] } }, text: { __authz: { rules: ["Own"] } } } },
    });
    const executed: string[] = [];
    // A plugin before useGatehouse replaces the engine's executor; useGatehouse must run on it.
    const counting = {
      onExecute({ executeFn, setExecuteFn }: { executeFn: (args: unknown) => unknown; setExecuteFn: (fn: (args: unknown) => unknown) => void }) {
        setExecuteFn((args) => {
          executed.push("engine");
          return executeFn(args);
        });
      },
    };
    const yoga = createYoga({ schema, plugins: [counting, useGatehouse({ security: s.security, authz })], logging: false });
    const post = async (query: string) => {
      const response = await yoga.fetch("http://localhost/graphql", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer joe-token" }, body: JSON.stringify({ query }) });
      return (await response.json()) as { data?: { notes: Array<Record<string, unknown>> }; errors?: Array<{ path?: unknown[]; extensions?: { code?: string } }> };
    };
    const body = await post("{ notes { id text } }");
    expect(executed).toEqual(["engine"]);
    expect(body.data).toEqual({ notes: [{ id: "n1", text: "joe's" }, { id: "n2", text: null }] });
    expect(body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["notes", 1, "text"], "FORBIDDEN"]]);
    expect(JSON.stringify(body)).not.toMatch(/ann's|owner|__gh/);
  });
});
