import { describe, expect, it, vi } from "vitest";
import { createSecurity, InvalidCredentialsError, type Authenticator, type Authorizer, type Identity } from "gatehouse";

const tokenAuth = (token: string, identity: Identity): Authenticator => async (c) => (c.token === token ? identity : null);

function setup() {
  const calls: string[] = [];
  const first: Authenticator = async (c) => { calls.push("first"); return c.token === "a" ? { id: "alice" } : null; };
  const second: Authenticator = async (c) => { calls.push("second"); return c.token === "a" || c.token === "b" ? { id: "bob" } : null; };
  const strict: Authenticator = async (c) => {
    calls.push("strict");
    if (c.token === "bad") throw new InvalidCredentialsError("Token expired.");
    return null;
  };
  const roles: Authorizer = vi.fn(async (identity) => (identity ? [{ name: "recipes.recipe", own: true }] : null));
  const extra: Authorizer = vi.fn(async (identity) => (identity?.id === "bob" ? [{ name: "recipes.*" }] : []));
  return { calls, first, second, strict, roles, extra };
}

describe("createSecurity", () => {
  it("runs authenticators in order; the first identity wins", async () => {
    const { calls, first, second } = setup();
    const security = createSecurity({ authenticators: [first, second] });
    const ctx = await security.authenticate({ token: "a" });
    expect(ctx.identity?.id).toBe("alice");
    expect(calls).toEqual(["first"]);
    expect((await security.authenticate({ token: "b" })).identity?.id).toBe("bob");
  });

  it("no credentials → anonymous with anonymousPermissions", async () => {
    const { first, roles } = setup();
    const security = createSecurity({ authenticators: [first], authorizers: [roles], anonymousPermissions: [{ name: "recipes.recipe", rwd: "r" }] });
    const ctx = await security.authenticate({});
    expect(ctx.identity).toBeNull();
    expect(ctx.getPermissions()).toEqual([{ name: "recipes.recipe", rwd: "r" }]);
    expect((await security.authenticate()).isAuthenticated).toBe(false);
  });

  it("anonymousPermissions are copied once, at construction, with or without authorizers", async () => {
    const granted = [{ name: "public.read", scope: { tags: ["a"] } }];
    const { roles } = setup();
    for (const authorizers of [[], [roles]]) {
      const security = createSecurity({ anonymousPermissions: granted, authorizers });
      granted[0]!.scope.tags.push("later");
      const ctx = await security.authenticate({});
      expect(ctx.getPermissions()).toEqual([{ name: "public.read", scope: { tags: ["a"] } }]);
      expect(() => (ctx.getPermission("public.read")!.scope as { tags: string[] }).tags.push("b")).toThrow(TypeError);
      granted[0]!.scope.tags.pop();
    }
  });

  it("anonymousPermissions do not apply to identities", async () => {
    const security = createSecurity({ authenticators: [tokenAuth("t", { id: "x" })], anonymousPermissions: [{ name: "public.read" }] });
    expect((await security.authenticate({ token: "t" })).getPermissions()).toEqual([]);
  });

  it("mine-but-invalid raises InvalidCredentialsError, never anonymous, and stops the chain", async () => {
    const { calls, strict, second } = setup();
    const security = createSecurity({ authenticators: [strict, second] });
    await expect(security.authenticate({ token: "bad" })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", status: 401 });
    expect(calls).toEqual(["strict"]);
  });

  it("a token or API key that every authenticator passes on is INVALID_CREDENTIALS, never anonymous", async () => {
    const { calls, first, second, roles } = setup();
    const security = createSecurity({ authenticators: [first, second], authorizers: [roles], anonymousPermissions: [{ name: "public.read" }] });
    await expect(security.authenticate({ token: "unknown" })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", status: 401, message: "Credentials not accepted." });
    expect(calls).toEqual(["first", "second"]);
    await expect(security.authenticate({ apiKey: "gh_unknown" })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(security.authenticate({ token: "" })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(createSecurity().authenticate({ token: "a" })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(roles).not.toHaveBeenCalled();
  });

  it("headers alone are no credential: nobody claiming them is anonymous", async () => {
    const { first } = setup();
    const ctx = await createSecurity({ authenticators: [first] }).authenticate({ headers: { "user-agent": "x" } });
    expect(ctx.identity).toBeNull();
  });

  it("an authenticator that breaks fails closed without leaking the cause", async () => {
    const broken: Authenticator = async () => { throw new Error("connect ECONNREFUSED token=abc"); };
    const security = createSecurity({ authenticators: [broken] });
    const error = await security.authenticate({ token: "abc" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect((error as Error).message).not.toContain("abc");
  });

  it("an authenticator returning an identity without id fails closed", async () => {
    const security = createSecurity({ authenticators: [async () => ({ id: "" })] });
    await expect(security.authenticate({ token: "x" })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("concatenates authorizers' permissions and loads them once per context", async () => {
    const { second, roles, extra } = setup();
    const security = createSecurity({ authenticators: [second], authorizers: [roles, extra] });
    const ctx = await security.authenticate({ token: "b" });
    expect(ctx.getPermissions().map((p) => p.name)).toEqual(["recipes.recipe", "recipes.*"]);
    ctx.getPermissions();
    ctx.getPermission("recipes.recipe");
    ctx.hasFullAccess();
    expect(roles).toHaveBeenCalledTimes(1);
    expect(extra).toHaveBeenCalledTimes(1);
  });

  it("an authorizer that throws fails the request (never allowed)", async () => {
    const security = createSecurity({
      authenticators: [tokenAuth("t", { id: "x" })],
      authorizers: [async () => { throw new Error("store down"); }],
    });
    await expect(security.authenticate({ token: "t" })).rejects.toThrow("store down");
  });

  it("rejects an authorizer returning malformed permissions", async () => {
    const security = createSecurity({ authenticators: [tokenAuth("t", { id: "x" })], authorizers: [async () => [{} as never]] });
    await expect(security.authenticate({ token: "t" })).rejects.toThrow(TypeError);
  });

  it("validates options at construction", () => {
    expect(() => createSecurity({ authenticators: ["nope" as never] })).toThrow(TypeError);
  });

  it("contextFor builds a context for a known identity", async () => {
    const { roles } = setup();
    const ctx = await createSecurity({ authorizers: [roles] }).contextFor({ id: "job" });
    expect(ctx.identity?.id).toBe("job");
    expect(ctx.getPermissions()).toHaveLength(1);
  });
});
