// Acceptance over HTTP for the REST helpers of `gatehouse/http`: the Express
// middleware and the Lambda wrapper (v1 and v2 events, served through a small
// HTTP bridge). Anonymous reads work, Joe never edits Jane's post, bad
// credentials are 401 INVALID_CREDENTIALS before the handler runs.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPermissions, createSecurity, NotAuthenticatedError, NotAuthorizedError, type SecurityContext } from "gatehouse";
import { errorResponseInit, expressSecurity, withSecurity, type LambdaHttpEvent, type LambdaResult } from "gatehouse/http";
import { jwtAuthenticator } from "gatehouse/jwt";
import { AUDIENCE, BAD_TOKENS, ISSUER, token } from "./acceptance-fixture.js";

const SECRET = "acceptance-secret-of-at-least-32-bytes!!";
const BlogPermissions = createPermissions({
  prefix: "blog",
  fullAccess: { name: "blog.*" },
  entities: [{ id: "post", permission: "blog.post", scopes: ["full", "own"], actions: [{ name: "rwd" }] }],
} as const);

type Row = { id: string; body: string; createdBy: { id: string } };

function api() {
  const posts = new Map<string, Row>([
    ["p1", { id: "p1", body: "JOE-BODY", createdBy: { id: "joe" } }],
    ["p2", { id: "p2", body: "JANE-BODY", createdBy: { id: "jane" } }],
  ]);
  const calls = { handler: 0, writes: 0 };
  const security = createSecurity({
    authenticators: [jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], secret: SECRET })],
    authorizers: [async (identity) => (identity?.roles?.includes("author") ? [{ name: "blog.post", own: true, rwd: "rwd" }] : [])],
  });
  /** The use case both transports call: 401 for anonymous, 403 for someone else's post. */
  async function edit(ctx: SecurityContext, id: string, body: string): Promise<Row> {
    if (!ctx.isAuthenticated) throw new NotAuthenticatedError();
    const row = posts.get(id);
    if (!row || !(await BlogPermissions.for(ctx).canEdit("post", row))) throw new NotAuthorizedError();
    calls.writes++;
    row.body = body;
    return row;
  }
  return { posts, calls, security, edit };
}

type Api = ReturnType<typeof api>;

function listen(server: Server): Promise<string> {
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function expressServer(a: Api): Server {
  const app = express();
  app.use(express.json());
  app.use(expressSecurity(a.security));
  app.get("/me", (req, res) => {
    a.calls.handler++;
    res.json({ id: (req as unknown as { security: SecurityContext }).security.identity?.id ?? null });
  });
  app.put("/posts/:id", async (req, res) => {
    a.calls.handler++;
    try {
      const row = await a.edit((req as unknown as { security: SecurityContext }).security, req.params.id, String((req.body as { body?: unknown }).body));
      res.json({ id: row.id });
    } catch (error) {
      const init = errorResponseInit(error);
      res.status(init.status).set(init.headers).send(JSON.stringify(init.body));
    }
  });
  return createServer(app);
}

/** API Gateway in miniature: each request becomes a v1 or v2 event for one wrapped handler. */
function lambdaServer(a: Api, version: "1.0" | "2.0"): Server {
  const handler = withSecurity(a.security, async (event: LambdaHttpEvent & { path: string; method: string; body: string }, ctx): Promise<LambdaResult> => {
    a.calls.handler++;
    if (event.path === "/me") return { statusCode: 200, body: JSON.stringify({ id: ctx.identity?.id ?? null }) };
    if (event.path === "/boom") throw new Error("db password hunter2 in a stack");
    const row = await a.edit(ctx, event.path.split("/")[2] ?? "", (JSON.parse(event.body || "{}") as { body: string }).body);
    return { statusCode: 200, body: JSON.stringify({ id: row.id }) };
  });
  return createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    const headers: Record<string, string> = {};
    const multi: Record<string, string[]> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!.toLowerCase();
      const value = req.rawHeaders[i + 1]!;
      headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
      (multi[name] ??= []).push(value);
    }
    const base = { path: req.url ?? "/", method: req.method ?? "GET", body };
    const event = version === "2.0" ? { ...base, version, headers } : { ...base, headers, multiValueHeaders: multi };
    const result = await handler(event);
    res.statusCode = result.statusCode;
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
    res.end(result.body ?? "");
  });
}

for (const [name, make] of [
  ["Express middleware", expressServer],
  ["Lambda wrapper, REST API v1 events", (a: Api) => lambdaServer(a, "1.0")],
  ["Lambda wrapper, HTTP API v2 events", (a: Api) => lambdaServer(a, "2.0")],
] as const) {
  describe(`${name}: the public contract over HTTP`, () => {
    let a: Api;
    let server: Server;
    let url: string;
    let joe: string;
    beforeAll(async () => {
      a = api();
      server = make(a);
      url = await listen(server);
      joe = await token("joe");
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    const call = async (path: string, init: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
      const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      const res = await fetch(`${url}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as Record<string, any> };
    };

    it("serves anonymous requests", async () => {
      expect(await call("/me").then((r) => [r.status, r.json])).toEqual([200, { id: null }]);
      expect(await call("/me", { token: joe }).then((r) => [r.status, r.json])).toEqual([200, { id: "joe" }]);
    });

    it("Joe edits his post and never Jane's (403 FORBIDDEN); anonymous is 401 UNAUTHENTICATED", async () => {
      const own = await call("/posts/p1", { method: "PUT", token: joe, body: { body: "JOE-EDIT" } });
      expect([own.status, own.json]).toEqual([200, { id: "p1" }]);
      const jane = await call("/posts/p2", { method: "PUT", token: joe, body: { body: "JOE-WAS-HERE" } });
      expect(jane.status).toBe(403);
      expect(jane.json).toEqual({ error: { code: "FORBIDDEN", message: expect.any(String) } });
      expect(a.posts.get("p2")?.body).toBe("JANE-BODY");
      const anon = await call("/posts/p2", { method: "PUT", body: { body: "ANON" } });
      expect(anon.status).toBe(401);
      expect(anon.headers.get("www-authenticate")).toBe("Bearer");
      expect(anon.json.error.code).toBe("UNAUTHENTICATED");
      expect(a.posts.get("p2")?.body).toBe("JANE-BODY");
    });

    for (const [label, bad] of BAD_TOKENS) {
      it(`${label} is 401 INVALID_CREDENTIALS before the handler runs`, async () => {
        const t = await bad();
        const before = a.calls.handler;
        const r = await call("/posts/p2", { method: "PUT", token: t, body: { body: "X" } });
        expect(r.status).toBe(401);
        expect(r.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
        expect(r.json).toEqual({ error: { code: "INVALID_CREDENTIALS", message: expect.any(String) } });
        expect(r.text).not.toContain(t);
        expect(a.calls.handler).toBe(before);
      });
    }

    it("a Bearer without a token, or a token and an API key together, are refused, never anonymous", async () => {
      const empty = await call("/me", { headers: { authorization: "Bearer" } });
      expect([empty.status, empty.json.error?.code]).toEqual([401, "INVALID_CREDENTIALS"]);
      const both = await call("/me", { token: joe, headers: { "x-api-key": "gh_abc" } });
      expect([both.status, both.json.error?.code]).toEqual([401, "INVALID_CREDENTIALS"]);
    });
  });
}

describe("Lambda wrapper: errors the handler throws", () => {
  it("an unexpected error is a masked 500 INTERNAL; its message never leaves", async () => {
    const a = api();
    const server = lambdaServer(a, "2.0");
    const url = await listen(server);
    try {
      const res = await fetch(`${url}/boom`);
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "Internal server error." } });
      expect(text).not.toContain("hunter2");
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
