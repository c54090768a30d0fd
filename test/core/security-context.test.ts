import { describe, expect, it } from "vitest";
import { createSecurityContext, type Permission } from "gatehouse";

function setup(permissions: Permission[] = [], identity: { id: string } | null = { id: "joe" }) {
  return createSecurityContext({ identity, permissions });
}

describe("SecurityContext", () => {
  it("reports identity and authentication", () => {
    expect(setup().isAuthenticated).toBe(true);
    expect(setup([], null)).toMatchObject({ identity: null, isAuthenticated: false });
    expect(setup().requestId).toMatch(/[0-9a-f-]{36}/);
  });

  const held: Permission[] = [
    { name: "recipes.recipe", own: true },
    { name: "recipes.*" },
    { name: "blog.post" },
    { name: "recipes.tag" },
  ];
  const cases: [string, string | undefined, string[]][] = [
    ["all", undefined, ["recipes.recipe", "recipes.*", "blog.post", "recipes.tag"]],
    ["exact + held wildcard", "recipes.recipe", ["recipes.recipe", "recipes.*"]],
    ["held wildcard covers unknown name", "recipes.comment", ["recipes.*"]],
    ["requested prefix wildcard", "recipes.*", ["recipes.recipe", "recipes.*", "recipes.tag"]],
    ["requested *", "*", ["recipes.recipe", "recipes.*", "blog.post", "recipes.tag"]],
    ["no match", "shop.order", []],
    ["prefix needs the dot", "recipesX", []],
  ];
  it.each(cases)("getPermissions: %s", (_l, name, expected) => {
    expect(setup(held).getPermissions(name).map((p) => p.name)).toEqual(expected);
  });

  it("getPermission prefers the exact match", () => {
    const ctx = setup([{ name: "recipes.*" }, { name: "recipes.recipe", own: true }]);
    expect(ctx.getPermission("recipes.recipe")).toEqual({ name: "recipes.recipe", own: true });
    expect(ctx.getPermission("recipes.tag")).toEqual({ name: "recipes.*" });
    expect(ctx.getPermission("shop.order")).toBeNull();
  });

  it("held * matches every name and is full access", () => {
    const ctx = setup([{ name: "*" }]);
    expect(ctx.hasFullAccess()).toBe(true);
    expect(ctx.getPermission("anything.at.all")).toEqual({ name: "*" });
    expect(setup([{ name: "recipes.*" }]).hasFullAccess()).toBe(false);
  });

  it("permissions are immutable copies", () => {
    const source = [{ name: "recipes.recipe", rwd: "r" }];
    const ctx = setup(source);
    source[0]!.rwd = "rwd";
    expect(ctx.getPermission("recipes.recipe")?.rwd).toBe("r");
    expect(() => {
      (ctx.getPermissions()[0] as unknown as { rwd: string }).rwd = "rwd";
    }).toThrow(TypeError);
    expect(() => (ctx.identity as { id: string }).id = "admin").toThrow(TypeError);
  });

  it("withoutAuthorization is scoped to fn and its async work", async () => {
    const ctx = setup();
    expect(ctx.hasFullAccess()).toBe(false);
    const inside = await ctx.withoutAuthorization(async () => {
      await new Promise((r) => setTimeout(r, 1));
      return [ctx.hasFullAccess(), ctx.isAuthorizationDisabled];
    });
    expect(inside).toEqual([true, true]);
    expect(ctx.hasFullAccess()).toBe(false);
    expect(ctx.isAuthorizationDisabled).toBe(false);
  });

  it("withoutAuthorization never leaks into 100 concurrent contexts", async () => {
    const contexts = Array.from({ length: 100 }, (_, i) => setup([], { id: `u${i}` }));
    const seen = await Promise.all(
      contexts.map(async (ctx, i) => {
        const probe = async () => {
          await new Promise((r) => setTimeout(r, (i * 7) % 5));
          return ctx.hasFullAccess();
        };
        // Even contexts run inside withoutAuthorization; odd ones run concurrently outside it.
        return i % 2 === 0 ? ctx.withoutAuthorization(probe) : probe();
      }),
    );
    seen.forEach((full, i) => expect(full).toBe(i % 2 === 0));
  });

  it("withoutAuthorization on one context does not unlock another inside fn", async () => {
    const a = setup();
    const b = setup([], { id: "jane" });
    expect(await a.withoutAuthorization(async () => b.hasFullAccess())).toBe(false);
  });

  it("withoutAuthorization ends when fn settles, even for work fn scheduled but did not wait for", async () => {
    const ctx = setup();
    const afterwards: Promise<boolean>[] = [];
    const later = (ms: number) =>
      afterwards.push(new Promise((resolve) => setTimeout(() => resolve(ctx.hasFullAccess()), ms)));
    ctx.withoutAuthorization(() => later(5));
    await ctx.withoutAuthorization(async () => {
      later(5);
      afterwards.push((async () => {
        await new Promise((r) => setTimeout(r, 5));
        return ctx.isAuthorizationDisabled;
      })());
      await new Promise((r) => setTimeout(r, 1));
    });
    await expect(ctx.withoutAuthorization(async () => {
      later(5);
      throw new Error("boom");
    })).rejects.toThrow("boom");
    expect(await Promise.all(afterwards)).toEqual([false, false, false, false]);
  });

  it("withoutAuthorization: an inner scope ending leaves the outer one open", async () => {
    const ctx = setup();
    await ctx.withoutAuthorization(async () => {
      await ctx.withoutAuthorization(async () => {
        await new Promise((r) => setTimeout(r, 1));
      });
      await new Promise((r) => setTimeout(r, 1));
      expect(ctx.hasFullAccess()).toBe(true);
    });
    expect(ctx.hasFullAccess()).toBe(false);
  });

  it("withoutAuthorization rethrows and still ends the scope", () => {
    const ctx = setup();
    expect(() => ctx.withoutAuthorization(() => { throw new Error("boom"); })).toThrow("boom");
    expect(ctx.hasFullAccess()).toBe(false);
  });
});

describe("SecurityContext shape", () => {
  it("draws one request id per context, keeps a given one, and keeps its methods usable when destructured", () => {
    const ctx = setup([{ name: "*" }]);
    expect(ctx.requestId).toBe(ctx.requestId);
    expect(ctx.requestId).not.toBe(setup().requestId);
    expect(createSecurityContext({ identity: null, permissions: [], requestId: "r-1" }).requestId).toBe("r-1");
    const { hasFullAccess, getPermission, getPermissions, withoutAuthorization } = ctx;
    expect(hasFullAccess()).toBe(true);
    expect(getPermission("a.b")).toEqual({ name: "*" });
    expect(getPermissions()).toHaveLength(1);
    expect(withoutAuthorization(() => ctx.isAuthorizationDisabled)).toBe(true);
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(() => ((ctx as { identity: unknown }).identity = { id: "admin" })).toThrow(TypeError);
  });
});

describe("SecurityContext copies", () => {
  it("shares an identity that is already a frozen copy, and copies anything else", () => {
    const source = { id: "joe", roles: ["a"], when: new Date(0) };
    const a = createSecurityContext({ identity: { id: "joe", roles: ["a"] }, permissions: [] });
    expect(createSecurityContext({ identity: a.identity, permissions: [] }).identity).toBe(a.identity);
    // Not plain data all the way down: never treated as shareable.
    const b = createSecurityContext({ identity: source, permissions: [] });
    expect(createSecurityContext({ identity: b.identity, permissions: [] }).identity).not.toBe(b.identity);
    // Frozen by its owner is not enough: a nested array may still change.
    const frozenOutside = Object.freeze({ id: "joe", roles: ["a"] });
    const c = createSecurityContext({ identity: frozenOutside, permissions: [] });
    expect(c.identity).not.toBe(frozenOutside);
    frozenOutside.roles.push("admin");
    expect(c.identity?.roles).toEqual(["a"]);
  });

  it("copies plain data, keeps __proto__ keys as data, and handles dates and cycles", () => {
    const evil = JSON.parse('{"id":"joe","__proto__":{"isAdmin":true}}') as { id: string };
    const ctx = createSecurityContext({ identity: evil, permissions: [] });
    expect((ctx.identity as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(ctx.identity)).toBe(Object.prototype);
    const when = new Date(0);
    const cyclic: Record<string, unknown> = { id: "c", when };
    cyclic.self = cyclic;
    const c = createSecurityContext({ identity: cyclic as { id: string }, permissions: [] });
    expect((c.identity as unknown as { when: Date }).when.getTime()).toBe(0);
    expect(Object.isFrozen(c.identity)).toBe(true);
  });
});
