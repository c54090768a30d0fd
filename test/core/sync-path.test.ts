import { describe, expect, it } from "vitest";
import { createSecurity, InvalidCredentialsError, type Authenticator, type Credentials, type Security, type SecurityContext } from "gatehouse";
import { authenticateNowOf } from "../../src/core/create-security.js";
import { authenticatorWithSyncPath, isPromiseLike, syncAuthenticatorOf } from "../../src/core/sync-path.js";
import { viaNow, viaPromise } from "../support/auth-paths.js";

/** What one call ended in, comparable between the two paths. */
type Outcome = { id: string | null; authenticated: boolean } | { code: string; message: string };

const outcomeOf = (ctx: SecurityContext): Outcome => ({ id: ctx.identity?.id ?? null, authenticated: ctx.isAuthenticated });

function setup() {
  const token: Authenticator = authenticatorWithSyncPath((c) => {
    if (c.token === "joe") return { id: "joe" };
    if (c.token === "bad") throw new InvalidCredentialsError("Token signature invalid.");
    if (c.token === "broken") throw new Error("database down");
    if (c.token === "nameless") return { id: "" };
    return null;
  });
  const waiting: Authenticator = authenticatorWithSyncPath((c) => (c.token === "slow" ? Promise.resolve({ id: "slow" }) : null));
  const custom: Authenticator = async (c) => (c.token === "custom" ? { id: "custom" } : null);
  const throwsAtOnce = ((c: Credentials) => {
    if (c.token === "sync-throw") throw new Error("not async at all");
    return Promise.resolve(null);
  }) as Authenticator;
  return { token, waiting, custom, throwsAtOnce };
}

describe("authenticator sync variants", () => {
  it("the public authenticator keeps the promise shape and the twin's results and errors", async () => {
    const { token } = setup();
    const sync = syncAuthenticatorOf(token)!;
    expect(sync({ token: "joe" })).toEqual({ id: "joe" });
    await expect(token({ token: "joe" })).resolves.toEqual({ id: "joe" });
    expect(() => sync({ token: "bad" })).toThrow(InvalidCredentialsError);
    const rejected = token({ token: "bad" });
    expect(rejected).toBeInstanceOf(Promise);
    await expect(rejected).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token signature invalid." });
  });

  it("a user's own function has no twin", () => {
    expect(syncAuthenticatorOf(setup().custom)).toBeNull();
  });
});

describe("createSecurity's synchronous path", () => {
  const cases: Array<[string, Credentials]> = [
    ["a valid token", { token: "joe" }],
    ["a token the authenticator refuses", { token: "bad" }],
    ["an authenticator throwing a plain Error", { token: "broken" }],
    ["an identity without an id", { token: "nameless" }],
    ["a token nobody claims", { token: "stranger" }],
    ["an API key nobody claims", { apiKey: "gh_x_y" }],
    ["no credentials", {}],
  ];

  it.each(cases)("%s: the same outcome, at once, as authenticate", async (_label, credentials) => {
    const { token } = setup();
    const security = createSecurity({ authenticators: [token] });
    const now = await viaNow(security, credentials, outcomeOf);
    expect(now.immediate).toBe(true);
    expect(now.outcome).toEqual(await viaPromise(security, credentials, outcomeOf));
  });

  it("maps a plain Error to INVALID_CREDENTIALS, never anonymous", async () => {
    const security = createSecurity({ authenticators: [setup().token] });
    expect((await viaNow(security, { token: "broken" }, outcomeOf)).outcome).toEqual({ code: "INVALID_CREDENTIALS", message: "Credentials could not be verified." });
    expect((await viaNow(security, { token: "stranger" }, outcomeOf)).outcome).toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it.each([
    ["claimed by the user's function", { token: "custom" }],
    ["claimed by the variant, before the user's function", { token: "joe" }],
    ["claimed by nobody", { token: "stranger" }],
    ["refused by the variant", { token: "bad" }],
    ["a user's function throwing synchronously", { token: "sync-throw" }],
  ])("mixed with a user's function (%s): the same outcome as authenticate", async (_label, credentials) => {
    const { token, custom, throwsAtOnce } = setup();
    const security = createSecurity({ authenticators: [token, throwsAtOnce, custom] });
    expect((await viaNow(security, credentials, outcomeOf)).outcome).toEqual(await viaPromise(security, credentials, outcomeOf));
  });

  it("answers at once until an authenticator has to wait, then with a promise", async () => {
    const { token, custom, waiting } = setup();
    const security = createSecurity({ authenticators: [token, waiting, custom] });
    expect(await viaNow(security, { token: "joe" }, outcomeOf)).toEqual({ immediate: true, outcome: { id: "joe", authenticated: true } });
    expect(await viaNow(security, { token: "slow" }, outcomeOf)).toEqual({ immediate: false, outcome: { id: "slow", authenticated: true } });
    // The user's function is reached only after the waiting one passed on, and it always returns a promise.
    expect(await viaNow(security, { token: "custom" }, outcomeOf)).toEqual({ immediate: false, outcome: { id: "custom", authenticated: true } });
    expect((await viaNow(security, { token: "stranger" }, outcomeOf)).outcome).toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("with authorizers, the permissions are loaded and the answer is a promise", async () => {
    const security = createSecurity({ authenticators: [setup().token], authorizers: [async (i) => (i ? [{ name: "recipes.read" }] : null)] });
    const result = authenticateNowOf(security)({ token: "joe" });
    expect(isPromiseLike(result)).toBe(true);
    expect((await result).getPermission("recipes.read")).toEqual({ name: "recipes.read" });
    expect(() => authenticateNowOf(security)({ token: "bad" })).toThrow(InvalidCredentialsError);
  });

  it("a Security object made elsewhere goes through its own authenticate", async () => {
    const inner = createSecurity({ authenticators: [setup().token] });
    const wrapped: Security = { authenticate: (c) => inner.authenticate(c), contextFor: (i) => inner.contextFor(i) };
    const result = authenticateNowOf(wrapped)({ token: "joe" });
    expect(isPromiseLike(result)).toBe(true);
    expect((await result).identity?.id).toBe("joe");
    await expect(authenticateNowOf(wrapped)({ token: "broken" })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("authenticate itself never throws synchronously", async () => {
    const security = createSecurity({ authenticators: [setup().token] });
    const result = security.authenticate({ token: "broken" });
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });
});
