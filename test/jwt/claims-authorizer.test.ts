import { describe, expect, it } from "vitest";
import { createSecurity, type SecurityContext } from "gatehouse";
import { frozenCopy } from "../../src/core/permission-match.js";
import { authenticatorWithSyncPath, syncAuthorizerOf } from "../../src/core/sync-path.js";
import { viaNow, viaPromise } from "../support/auth-paths.js";
import { claimsAuthorizer } from "gatehouse/jwt";

describe("claimsAuthorizer", () => {
  function setup(options?: Parameters<typeof claimsAuthorizer>[0]) {
    return claimsAuthorizer(options);
  }

  it("reads permission names and objects from the permissions claim", async () => {
    const authorize = setup();
    const identity = { id: "u", claims: { permissions: ["recipes.read", { name: "recipes.recipe", own: true }, 5, { nope: 1 }, ""] } };
    await expect(authorize(identity)).resolves.toEqual([{ name: "recipes.read" }, { name: "recipes.recipe", own: true }]);
  });

  it("reads a space-separated scope claim", async () => {
    const authorize = setup({ claim: "scope" });
    await expect(authorize({ id: "u", claims: { scope: "read:a  write:b" } })).resolves.toEqual([{ name: "read:a" }, { name: "write:b" }]);
  });

  it("maps roles to permissions", async () => {
    const authorize = setup({ rolePermissions: { admin: [{ name: "*" }], editor: [{ name: "recipes.*" }] } });
    await expect(authorize({ id: "u", roles: ["editor", "admin", "__proto__", "ghost"] })).resolves.toEqual([{ name: "recipes.*" }, { name: "*" }]);
  });

  it("gives anonymous and claim-less identities nothing", async () => {
    const authorize = setup({ rolePermissions: { admin: [{ name: "*" }] } });
    await expect(authorize(null)).resolves.toBeNull();
    await expect(authorize({ id: "u" })).resolves.toBeNull();
    await expect(authorize({ id: "u", claims: { permissions: "not-an-array-but-a-string" }, roles: [] })).resolves.toEqual([{ name: "not-an-array-but-a-string" }]);
  });

  it("feeds createSecurity", async () => {
    const security = createSecurity({
      authenticators: [async () => ({ id: "u", roles: ["admin"], claims: { permissions: ["a.b"] } })],
      authorizers: [setup({ rolePermissions: { admin: [{ name: "*" }] } })],
    });
    const ctx = await security.authenticate({ token: "t" });
    expect(ctx.hasFullAccess()).toBe(true);
    expect(ctx.getPermission("a.b")).toEqual({ name: "a.b" });
  });

  it("answers createSecurity at once behind a synchronous authenticator, with the same permissions", async () => {
    const rolePermissions = { editor: [{ name: "recipes.recipe", rwd: "rw", tags: ["a"] }] };
    const token = authenticatorWithSyncPath((c) => (c.token === "t" ? { id: "u", roles: ["editor"], claims: { permissions: ["a.b"] } } : null));
    const security = createSecurity({ authenticators: [token], authorizers: [setup({ rolePermissions })] });
    const names = (ctx: SecurityContext) => ctx.getPermissions();
    const now = await viaNow(security, { token: "t" }, names);
    expect(now).toEqual({ immediate: true, outcome: [{ name: "a.b" }, { name: "recipes.recipe", rwd: "rw", tags: ["a"] }] });
    expect(now.outcome).toEqual(await viaPromise(security, { token: "t" }, names));
    // The options object stays the caller's: changing it later grants nothing new.
    rolePermissions.editor[0]!.rwd = "rwd";
    expect((await security.authenticate({ token: "t" })).getPermission("recipes.recipe")).toMatchObject({ rwd: "rw" });
  });

  it("the public function hands out copies: changing one changes no later grant", async () => {
    const authorize = setup({ rolePermissions: { editor: [{ name: "recipes.recipe", rwd: "r", tags: ["a"] }] } });
    const first = (await authorize({ id: "u", roles: ["editor"] }))!;
    first[0]!.rwd = "rwd";
    (first[0]!.tags as string[]).push("b");
    expect(await authorize({ id: "u", roles: ["editor"] })).toEqual([{ name: "recipes.recipe", rwd: "r", tags: ["a"] }]);
  });

  it("grants a frozen identity (a cached token's) once, and a mutable one afresh on every request", async () => {
    const authorize = syncAuthorizerOf(setup({ rolePermissions: { editor: [{ name: "recipes.recipe" }], admin: [{ name: "*" }] } }))!;
    const frozen = frozenCopy({ id: "u", roles: ["editor"], claims: { permissions: ["a.b"] } });
    const first = authorize(frozen) as readonly { name: string }[];
    expect(first.map((p) => p.name)).toEqual(["a.b", "recipes.recipe"]);
    expect(authorize(frozen)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Another frozen identity with other roles gets its own grant, never the first one's.
    expect((authorize(frozenCopy({ id: "v", roles: ["admin"] })) as { name: string }[]).map((p) => p.name)).toEqual(["*"]);
    // An identity that can still change is judged as it is now, not as it was.
    const mutable = { id: "w", roles: ["editor"] };
    expect((authorize(mutable) as { name: string }[]).map((p) => p.name)).toEqual(["recipes.recipe"]);
    mutable.roles = ["admin"];
    expect((authorize(mutable) as { name: string }[]).map((p) => p.name)).toEqual(["*"]);
    expect(authorize(frozenCopy({ id: "x", roles: ["nobody"] }))).toBeNull();
  });

  it.each([
    [{ claim: "" }, /claim/],
    [{ rolePermissions: { admin: [{}] } }, /rolePermissions\.admin/],
    [{ rolePermissions: { admin: "x" } }, /rolePermissions\.admin/],
  ])("throws TypeError for bad options %#", (options, message) => {
    expect(() => setup(options as never)).toThrow(message);
  });
});
