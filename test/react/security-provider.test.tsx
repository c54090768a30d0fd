// @vitest-environment happy-dom
import { cleanup, render, renderHook, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { SecurityProvider, useSecurity } from "gatehouse/react";
import type { Permission } from "gatehouse";
import { users } from "./fixtures.js";

// No vitest globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

describe("SecurityProvider", () => {
  function setup() {
    let permissions: Permission[] = [...users.joe.permissions];
    const hook = renderHook(() => useSecurity().context, {
      wrapper: ({ children }) => (
        <SecurityProvider identity={{ id: "joe" }} permissions={permissions}>
          {children}
        </SecurityProvider>
      ),
    });
    const replace = (next: Permission[]) => {
      permissions = next;
      hook.rerender();
    };
    return { hook, replace };
  }

  it("renders its children", () => {
    render(
      <SecurityProvider identity={null} permissions={[]}>
        <p>inside</p>
      </SecurityProvider>,
    );
    expect(screen.getByText("inside")).toBeTruthy();
  });

  it("keeps one context while identity and permissions are equal, even as fresh objects", () => {
    const { hook, replace } = setup();
    const first = hook.result.current;
    replace(users.joe.permissions.map((p) => ({ ...p })));
    expect(hook.result.current).toBe(first);
  });

  it("builds a new context when the permissions change", () => {
    const { hook, replace } = setup();
    const first = hook.result.current;
    replace([{ name: "recipes.*" }]);
    expect(hook.result.current).not.toBe(first);
    expect(hook.result.current.getPermission("recipes.recipe")).toEqual({ name: "recipes.*" });
  });

  it("treats missing permissions as none", () => {
    const { result } = renderHook(() => useSecurity(), {
      wrapper: ({ children }) => <SecurityProvider identity={{ id: "x" }} permissions={null}>{children}</SecurityProvider>,
    });
    expect(result.current.context.getPermissions()).toEqual([]);
    expect(result.current.isAuthenticated).toBe(true);
  });

  it("does not share the caller's objects with the context (frozen copies)", () => {
    const permissions: Permission[] = [{ name: "recipes.recipe", rwd: "r" }];
    const { result } = renderHook(() => useSecurity(), {
      wrapper: ({ children }) => <SecurityProvider identity={{ id: "x" }} permissions={permissions}>{children}</SecurityProvider>,
    });
    permissions[0]!.rwd = "rwd";
    expect(result.current.getPermission("recipes.recipe")).toEqual({ name: "recipes.recipe", rwd: "r" });
  });

  it("falls back to reference identity for permissions that do not serialize", () => {
    const permissions: Permission[] = [{ name: "big", limit: 10n }];
    const { result, rerender } = renderHook(() => useSecurity().context, {
      wrapper: ({ children }) => <SecurityProvider identity={{ id: "x" }} permissions={permissions}>{children}</SecurityProvider>,
    });
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
    expect(first.getPermission("big")).toEqual({ name: "big", limit: 10n });
  });
});
