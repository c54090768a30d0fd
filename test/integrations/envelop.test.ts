import { createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { createSecurity, type Authenticator, type Security } from "gatehouse";
import { useGatehouse } from "gatehouse/envelop";
import { jwtAuthenticator } from "gatehouse/jwt";
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

  it("a batch of operations with invalid credentials is refused like one operation: 401, WWW-Authenticate, no data", async () => {
    const s = setup();
    const yoga = createYoga({ schema: s.schema, plugins: [useGatehouse({ security: s.security, authz: s.authz })], logging: false, batching: true });
    const batch = (headers: Record<string, string>) =>
      yoga.fetch("http://localhost/graphql", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify([{ query: "{ hello }" }, { query: "{ me }" }]) });
    for (const headers of [{ authorization: "Bearer forged" }, { "x-api-key": "gh_nope" }] as Array<Record<string, string>>) {
      const refused = await batch(headers);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
      const body = (await refused.json()) as Array<{ data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }>;
      expect(body.map((r) => [r.data ?? null, r.errors?.[0]?.extensions?.code])).toEqual([[null, "INVALID_CREDENTIALS"], [null, "INVALID_CREDENTIALS"]]);
    }
    // The same server answers a good batch with 200, and a refused request does not taint the next one.
    const ok = await batch({ authorization: "Bearer joe-token" });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Array<{ data: unknown }>).map((r) => r.data)).toEqual([{ hello: "world" }, { me: "joe" }]);
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

describe("useGatehouse's context hook: synchronous when nothing waits", () => {
  const SECRET = "envelop-sync-secret-envelop-sync-secret!";
  const jwt = () => jwtAuthenticator({ issuer: "https://issuer.test/", audience: "api", algorithms: ["HS256"], secret: SECRET });
  const token = (secret = SECRET) =>
    new SignJWT({ iss: "https://issuer.test/", aud: "api", sub: "joe" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("5m").sign(new TextEncoder().encode(secret));
  // Waits on every call, as a user's own authenticator (say, one asking an introspection endpoint) does.
  const waiting = (inner: Authenticator): Authenticator => async (c) => inner(c);

  /** Runs the hook as Envelop does and reports whether it returned a promise, and what it put on the context. */
  function contextHook(security: Security, authorization?: string) {
    const hook = useGatehouse({ security }).onContextBuilding!;
    const extended: Array<Record<string, unknown>> = [];
    const request = new Request("http://localhost/graphql", { headers: authorization ? { authorization } : {} });
    const run = () =>
      hook({ context: { request }, extendContext: (part: Record<string, unknown>) => extended.push(part), breakContextBuilding: () => {} } as never);
    return { run, extended };
  }

  const expect401 = (error: unknown) => {
    expect(error).toMatchObject({ extensions: { code: "INVALID_CREDENTIALS", http: { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } } } });
  };

  it("a verified token extends the context at once, without a promise", async () => {
    const { run, extended } = contextHook(createSecurity({ authenticators: [jwt()] }), `Bearer ${await token()}`);
    expect(run()).toBeUndefined();
    expect(extended).toEqual([{ security: expect.objectContaining({ isAuthenticated: true }) }]);
  });

  it("a bad token is refused at once with the 401 error", async () => {
    const { run, extended } = contextHook(createSecurity({ authenticators: [jwt()] }), `Bearer ${await token("forged-secret-forged-secret-forged!!")}`);
    let thrown: unknown;
    try {
      run();
    } catch (error) {
      thrown = error;
    }
    expect401(thrown);
    expect(extended).toEqual([]);
  });

  it("an authenticator that waits: a promise, with the same context and the same 401", async () => {
    const security = createSecurity({ authenticators: [waiting(jwt())] });
    const good = contextHook(security, `Bearer ${await token()}`);
    const pending = good.run();
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(good.extended).toEqual([{ security: expect.objectContaining({ isAuthenticated: true }) }]);
    const bad = contextHook(security, `Bearer ${await token("forged-secret-forged-secret-forged!!")}`);
    const refused = bad.run() as Promise<void>;
    expect(refused).toBeInstanceOf(Promise);
    expect401(await refused.then(() => null, (error: unknown) => error));
  });

  it.each([
    ["synchronous", (a: Authenticator) => a],
    ["asynchronous", waiting],
  ])("over HTTP, the %s path answers 401 with WWW-Authenticate for a bad token", async (_label, wrap) => {
    const s = setup();
    const security = createSecurity({ authenticators: [wrap(jwt())] });
    const yoga = createYoga({ schema: s.schema, plugins: [useGatehouse({ security, authz: s.authz })], logging: false });
    const post = async (bearer: string) =>
      yoga.fetch("http://localhost/graphql", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query: "{ me }" }) });
    const bad = await post(await token("forged-secret-forged-secret-forged!!"));
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(((await bad.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe("INVALID_CREDENTIALS");
    const good = await post(await token());
    expect(await good.json()).toEqual({ data: { me: "joe" } });
  });
});
