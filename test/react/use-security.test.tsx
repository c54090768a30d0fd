// @vitest-environment happy-dom
import { cleanup, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { usePermission, useSecurity } from "gatehouse/react";
import { users, wrapperFor } from "./fixtures.js";

// No vitest globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

/** Silences React's own report of the render error we expect. */
function quietly<T>(fn: () => T): T {
  const spy = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

describe("useSecurity", () => {
  it("exposes the identity and context of the provider", () => {
    const { result } = renderHook(() => useSecurity(), { wrapper: wrapperFor(users.joe) });
    expect(result.current.identity).toEqual({ id: "joe", displayName: "Joe" });
    expect(result.current.isAuthenticated).toBe(true);
    expect(result.current.context.identity?.id).toBe("joe");
    expect(result.current.getPermission("recipes.recipe")).toMatchObject({ own: true });
    expect(result.current.hasFullAccess()).toBe(false);
  });

  it("is anonymous with a null identity", () => {
    const { result } = renderHook(() => useSecurity(), { wrapper: wrapperFor(users.anonymous) });
    expect(result.current.identity).toBeNull();
    expect(result.current.isAuthenticated).toBe(false);
    expect(result.current.getPermission("recipes.recipe")).toBeNull();
  });

  it("reports full access for `*`", () => {
    const { result } = renderHook(() => useSecurity(), { wrapper: wrapperFor(users.admin) });
    expect(result.current.hasFullAccess()).toBe(true);
  });

  it("throws a clear Error outside a provider", () => {
    expect(() => quietly(() => renderHook(() => useSecurity()))).toThrow(/outside <SecurityProvider>/);
  });
});

describe("usePermission", () => {
  it("returns the first matching permission", () => {
    const { result } = renderHook(() => usePermission("recipes.recipe"), { wrapper: wrapperFor(users.ed) });
    expect(result.current).toEqual({ name: "recipes.recipe", rwd: "rwd", pw: "pu", approve: true });
  });

  it("matches through wildcards the identity holds", () => {
    const { result } = renderHook(() => usePermission("recipes.recipe"), { wrapper: wrapperFor(users.admin) });
    expect(result.current).toEqual({ name: "*" });
  });

  it("returns null when nothing matches", () => {
    const { result } = renderHook(() => usePermission("billing.invoice"), { wrapper: wrapperFor(users.joe) });
    expect(result.current).toBeNull();
  });

  it("throws a clear Error outside a provider", () => {
    expect(() => quietly(() => renderHook(() => usePermission("x")))).toThrow(/outside <SecurityProvider>/);
  });
});
