import type { AddressInfo } from "node:net";
import express from "express";
import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createSecurity, InvalidCredentialsError, NotAuthenticatedError, NotAuthorizedError, type Security } from "gatehouse";
import { jwtAuthenticator } from "gatehouse/jwt";
import { createRateLimiter, expressErrorHandler, expressSecurity, type SecurityRequest } from "gatehouse/http";
import { AUDIENCE, ISSUER, makeKey, sign } from "../jwt/helpers.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function listen(security: Security, options?: Parameters<typeof expressSecurity>[1]): Promise<string> {
  const app = express();
  app.use(expressSecurity(security, options));
  app.get("/me", (req, res) => {
    const ctx = (req as unknown as SecurityRequest).security!;
    res.json({ id: ctx.identity?.id ?? null, authenticated: ctx.isAuthenticated });
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("expressSecurity (real listen)", () => {
  async function setup() {
    const key = await makeKey("ES256");
    const security = createSecurity({
      authenticators: [jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [key.jwk] } })],
    });
    return { key, url: await listen(security) };
  }

  it("sets req.security for a valid token", async () => {
    const { key, url } = await setup();
    const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${await sign(key)}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: "user-1", authenticated: true });
  });

  it("is anonymous without credentials", async () => {
    const { url } = await setup();
    const res = await fetch(`${url}/me`);
    expect(await res.json()).toEqual({ id: null, authenticated: false });
  });

  it("answers 401 JSON with WWW-Authenticate for an invalid token, and never echoes it", async () => {
    const { key, url } = await setup();
    const token = await sign(key, { aud: "https://other.test" });
    const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
    expect(text).not.toContain(token.split(".")[1]!);
  });

  it("answers 401 for a malformed Authorization header", async () => {
    const { url } = await setup();
    const res = await fetch(`${url}/me`, { headers: { authorization: "Bearer" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
  });

  it("masks unexpected errors as 500 and reports them to onError", async () => {
    const seen: unknown[] = [];
    const security = { authenticate: async () => Promise.reject(new Error("db down: secret-dsn")), contextFor: async () => Promise.reject(new Error("x")) } as unknown as Security;
    const url = await listen(security, { onError: (e) => seen.push(e) });
    const res = await fetch(`${url}/me`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "Internal server error." } });
    expect(text).not.toContain("secret-dsn");
    expect(seen).toHaveLength(1);
  });

  it("keeps the gatehouse error message for invalid credentials", async () => {
    const security = createSecurity({ authenticators: [async () => Promise.reject(new InvalidCredentialsError("Invalid API key."))] });
    const url = await listen(security);
    const res = await fetch(`${url}/me`, { headers: { "x-api-key": "gh_a_b" } });
    expect(await res.json()).toEqual({ error: { code: "INVALID_CREDENTIALS", message: "Invalid API key." } });
  });

  it("rejects a missing security at construction", () => {
    expect(() => expressSecurity(undefined as never)).toThrow(TypeError);
  });
});

describe("expressSecurity without waiting", () => {
  const SECRET = "express-sync-secret-express-sync-secret!";
  function setup(wait = false) {
    const jwt = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], secret: SECRET });
    const security = createSecurity({ authenticators: [wait ? async (c) => jwt(c) : jwt] });
    const middleware = expressSecurity(security);
    const sent: Array<{ status: number; headers: Record<string, string>; body: string }> = [];
    const run = (authorization: string) => {
      const req: SecurityRequest = { headers: { authorization } };
      const headers: Record<string, string> = {};
      const res = { statusCode: 200, setHeader: (n: string, v: string) => (headers[n] = v), end: (body: string) => sent.push({ status: res.statusCode, headers, body }) };
      let nexts = 0;
      middleware(req, res, () => nexts++);
      return { req, nexts: () => nexts };
    };
    return { run, sent };
  }
  const token = (secret = SECRET) =>
    new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: "joe" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("5m").sign(new TextEncoder().encode(secret));

  it("calls next in the same turn when the token is decided at once", async () => {
    const { run } = setup();
    const { req, nexts } = run(`Bearer ${await token()}`);
    expect(nexts()).toBe(1);
    expect(req.security?.identity?.id).toBe("joe");
  });

  it("answers 401 in the same turn for a bad token, and the same 401 when the authenticator waits", async () => {
    const forged = await token("forged-secret-forged-secret-forged!!");
    const now = setup();
    expect(now.run(`Bearer ${forged}`).nexts()).toBe(0);
    expect(now.sent).toEqual([expect.objectContaining({ status: 401, headers: expect.objectContaining({ "www-authenticate": 'Bearer error="invalid_token"' }) })]);
    const later = setup(true);
    later.run(`Bearer ${forged}`);
    expect(later.sent).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(later.sent).toEqual(now.sent);
  });
});

describe("expressErrorHandler", () => {
  async function listenWithHandler(fail: (req: SecurityRequest) => unknown, onError?: (error: unknown) => void): Promise<string> {
    const security = createSecurity({
      authenticators: [async (c) => (c.token === "good" ? { id: "joe" } : null)],
    });
    const app = express();
    app.use(expressSecurity(security));
    app.get("/x", async (req, _res, next) => {
      try {
        await fail(req as unknown as SecurityRequest);
      } catch (error) {
        next(error);
      }
    });
    app.use(expressErrorHandler({ onError }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  }

  it("answers a handler's NotAuthenticatedError with 401, a Bearer challenge and JSON", async () => {
    const url = await listenWithHandler((req) => {
      if (!req.security?.isAuthenticated) throw new NotAuthenticatedError();
    });
    const res = await fetch(url);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(await res.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: new NotAuthenticatedError().message } });
  });

  it("answers NotAuthorizedError with 403 and RateLimitedError with 429 and Retry-After", async () => {
    const forbidden = await fetch(await listenWithHandler(() => { throw new NotAuthorizedError(); }), { headers: { authorization: "Bearer good" } });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    const limited = await fetch(await listenWithHandler(async () => {
      const limiter = createRateLimiter({ limit: 1, windowSec: 60 });
      await limiter.hit("k");
      await limiter.hit("k");
    }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
  });

  it("masks other errors as a JSON 500 with no stack, and reports them to onError", async () => {
    const seen: unknown[] = [];
    const res = await fetch(await listenWithHandler(() => { throw new Error("db down: secret-dsn"); }, (e) => seen.push(e)));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "Internal server error." } });
    expect(text).not.toContain("secret-dsn");
    expect(seen).toHaveLength(1);
  });
});
