import { describe, expect, it } from "vitest";
import { createSecurity, InvalidCredentialsError } from "gatehouse";
import { authenticateRequest } from "gatehouse/http";

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
