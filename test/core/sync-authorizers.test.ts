import { describe, expect, it } from "vitest";
import { createSecurity, InvalidCredentialsError, type Authenticator, type Authorizer, type SecurityContext } from "gatehouse";
import { authenticateNowOf } from "../../src/core/create-security.js";
import { frozenCopy } from "../../src/core/permission-match.js";
import { authenticatorWithSyncPath, isPromiseLike, syncAuthorizerOf, withSyncAuthorizer } from "../../src/core/sync-path.js";
import { viaNow, viaPromise } from "../support/auth-paths.js";

const names = (ctx: SecurityContext) => ({ id: ctx.identity?.id ?? null, permissions: ctx.getPermissions().map((p) => p.name) });

const token: Authenticator = authenticatorWithSyncPath((c) => {
  if (c.token === "joe") return { id: "joe" };
  if (c.token === "bad") throw new InvalidCredentialsError("Token signature invalid.");
  return null;
});

/** An authorizer made the way gatehouse makes its own: a public async function with a synchronous twin. */
function twin(grant: (id: string | null) => Array<{ name: string }> | null): Authorizer {
  return withSyncAuthorizer(async (identity) => grant(identity?.id ?? null), (identity) => grant(identity?.id ?? null));
}

describe("authorizers on createSecurity's synchronous path", () => {
  it("answers at once when every authorizer has a twin that answers at once, with the permissions in order", async () => {
    const security = createSecurity({
      authenticators: [token],
      authorizers: [twin((id) => (id ? [{ name: "a" }] : null)), twin((id) => (id ? [{ name: "b" }, { name: "c" }] : null))],
      anonymousPermissions: [{ name: "public" }],
    });
    expect(await viaNow(security, { token: "joe" }, names)).toEqual({ immediate: true, outcome: { id: "joe", permissions: ["a", "b", "c"] } });
    expect(await viaPromise(security, { token: "joe" }, names)).toEqual({ id: "joe", permissions: ["a", "b", "c"] });
    // Anonymous: the anonymous permissions first, then whatever the authorizers grant to nobody.
    expect(await viaNow(security, {}, names)).toEqual({ immediate: true, outcome: { id: null, permissions: ["public"] } });
    // A refused token is still refused at once, before any authorizer runs.
    expect((await viaNow(security, { token: "bad" }, names)).outcome).toEqual({ code: "INVALID_CREDENTIALS", message: "Token signature invalid." });
  });

  it("continues after a user's async authorizer, keeping the order of every grant", async () => {
    const calls: string[] = [];
    const first = twin((id) => (calls.push("first"), id ? [{ name: "a" }] : null));
    const users: Authorizer = async (identity) => (calls.push("user"), identity ? [{ name: "b" }] : null);
    const last = twin((id) => (calls.push("last"), id ? [{ name: "c" }] : null));
    const security = createSecurity({ authenticators: [token], authorizers: [first, users, last] });
    expect(await viaNow(security, { token: "joe" }, names)).toEqual({ immediate: false, outcome: { id: "joe", permissions: ["a", "b", "c"] } });
    expect(calls).toEqual(["first", "user", "last"]);
    expect(await viaPromise(security, { token: "joe" }, names)).toEqual({ id: "joe", permissions: ["a", "b", "c"] });
  });

  it("an authorizer that fails, at once or later, fails the request the same way on both paths", async () => {
    const broken = twin(() => {
      throw new Error("store down");
    });
    const rejecting: Authorizer = async () => {
      throw new Error("store down");
    };
    const nameless = twin(() => [{ nope: 1 } as never]);
    for (const authorizer of [broken, rejecting, nameless]) {
      const security = createSecurity({ authenticators: [token], authorizers: [authorizer] });
      const now = await viaNow(security, { token: "joe" }, names);
      expect(now.outcome).toEqual(await viaPromise(security, { token: "joe" }, names));
      expect(now.outcome).toHaveProperty("message");
      expect(now.outcome).not.toHaveProperty("id");
    }
  });

  it("contextFor keeps its promise shape: it never throws synchronously", async () => {
    const security = createSecurity({ authorizers: [twin(() => { throw new Error("store down"); })] });
    const result = security.contextFor({ id: "joe" });
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toThrow("store down");
    const ok = createSecurity({ authorizers: [twin(() => [{ name: "a" }])] }).contextFor({ id: "joe" });
    expect(ok).toBeInstanceOf(Promise);
    expect((await ok).getPermission("a")).toEqual({ name: "a" });
  });

  it("a shared permission in one request's context cannot be changed by that request", async () => {
    const shared = Object.freeze([Object.freeze({ name: "recipes.recipe", rwd: "r" })]);
    const authorizer = withSyncAuthorizer(async () => [{ name: "recipes.recipe", rwd: "r" }], () => shared);
    const security = createSecurity({ authenticators: [token], authorizers: [authorizer] });
    const first = authenticateNowOf(security)({ token: "joe" });
    expect(isPromiseLike(first)).toBe(false);
    const permission = (first as SecurityContext).getPermission("recipes.recipe")!;
    expect(() => Object.assign(permission, { rwd: "rwd" })).toThrow(TypeError);
    const second = (await security.authenticate({ token: "joe" })).getPermission("recipes.recipe");
    expect(second).toEqual({ name: "recipes.recipe", rwd: "r" });
  });

  it("one authorizer's shared frozen list is the context's as it is, and still checked", async () => {
    const shared = frozenCopy([{ name: "recipes.recipe", rwd: "r" }]);
    const security = createSecurity({ authenticators: [token], authorizers: [withSyncAuthorizer(async () => [...shared], () => shared)] });
    expect(await viaNow(security, { token: "joe" }, names)).toEqual({ immediate: true, outcome: { id: "joe", permissions: ["recipes.recipe"] } });
    // A shared list with a nameless permission is refused on every request, not only the first.
    const nameless = frozenCopy([{ nope: 1 }]) as never;
    const broken = createSecurity({ authenticators: [token], authorizers: [withSyncAuthorizer(async () => nameless, () => nameless)] });
    for (let i = 0; i < 2; i++) {
      expect((await viaNow(broken, { token: "joe" }, names)).outcome).toMatchObject({ message: expect.stringMatching(/without a string name/) });
    }
    // With a second authorizer the lists are concatenated as before.
    const two = createSecurity({ authenticators: [token], authorizers: [withSyncAuthorizer(async () => [...shared], () => shared), twin(() => [{ name: "b" }])] });
    expect((await viaNow(two, { token: "joe" }, names)).outcome).toEqual({ id: "joe", permissions: ["recipes.recipe", "b"] });
  });

  it("a user's own authorizer has no twin", () => {
    expect(syncAuthorizerOf(async () => null)).toBeNull();
  });
});
