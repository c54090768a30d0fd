import { describe, expect, it } from "vitest";
import { createSecurity, InvalidCredentialsError, type SecurityContext } from "gatehouse";
import { authenticateRequest } from "gatehouse/http";
import { authenticateNowOf } from "../../src/core/create-security.js";
import { authenticatorWithSyncPath, isPromiseLike } from "../../src/core/sync-path.js";
import { authenticateRequestNow } from "../../src/http/authenticate-request.js";

describe("authenticateRequest", () => {
  function setup() {
    const seen: unknown[] = [];
    const security = createSecurity({
      authenticators: [
        async (c) => {
          seen.push(c);
          if (c.token === undefined) return null;
          if (c.token !== "good") throw new InvalidCredentialsError();
          return { id: "u1" };
        },
      ],
    });
    return { security, seen };
  }

  it("authenticates a bearer token", async () => {
    const { security } = setup();
    const ctx = await authenticateRequest(security, new Request("http://x.test", { headers: { authorization: "Bearer good" } }));
    expect(ctx.identity).toEqual({ id: "u1" });
  });

  it("is anonymous without credentials", async () => {
    const { security } = setup();
    await expect(authenticateRequest(security, { headers: {} })).resolves.toMatchObject({ identity: null, isAuthenticated: false });
  });

  it("rejects malformed credentials before any authenticator runs", async () => {
    const { security, seen } = setup();
    await expect(authenticateRequest(security, { headers: { authorization: "Bearer" } })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(seen).toEqual([]);
  });

  it("rejects invalid credentials", async () => {
    const { security } = setup();
    await expect(authenticateRequest(security, { headers: { authorization: "Bearer bad" } })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("reads a session cookie when asked", async () => {
    const { security } = setup();
    const ctx = await authenticateRequest(security, { headers: { cookie: "sid=good" } }, { cookieName: "sid" });
    expect(ctx.identity?.id).toBe("u1");
  });
});

describe("authenticateRequestNow (the synchronous path)", () => {
  const twin = authenticatorWithSyncPath((c) => {
    if (c.token === undefined) return null;
    if (c.token !== "good") throw new InvalidCredentialsError("Token signature invalid.");
    return { id: "u1" };
  });
  const security = createSecurity({ authenticators: [twin] });
  const now = (headers: Record<string, string>) => authenticateRequestNow(authenticateNowOf(security), { headers });

  it("answers with a value when nothing waits", () => {
    const ctx = now({ authorization: "Bearer good" });
    expect(isPromiseLike(ctx)).toBe(false);
    expect((ctx as SecurityContext).identity).toEqual({ id: "u1" });
    expect((now({}) as SecurityContext).isAuthenticated).toBe(false);
  });

  it.each([
    ["an invalid token", { authorization: "Bearer bad" }, "Token signature invalid."],
    ["a malformed header", { authorization: "Bearer" }, "Malformed credentials."],
    ["a token and an API key", { authorization: "Bearer good", "x-api-key": "gh_a_b" }, "Send one credential per request: a bearer token or an API key, not both."],
    ["an API key nobody claims", { "x-api-key": "gh_a_b" }, "Credentials not accepted."],
  ])("throws at once for %s what authenticateRequest rejects with", async (_label, headers, message) => {
    expect(() => now(headers)).toThrow(message);
    const rejected = authenticateRequest(security, { headers });
    expect(rejected).toBeInstanceOf(Promise);
    await expect(rejected).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message });
  });
});
