// @vitest-environment happy-dom
import { cleanup, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useCan } from "gatehouse/react";
import type { OwnableItem } from "gatehouse";
import { RecipePermissions } from "../../examples/recipes/shared/permissions.js";
import { janesRecipe, joesRecipe, Recipes, users, wrapperFor } from "./fixtures.js";
import type { User } from "./fixtures.js";

// No vitest globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

type Action = Parameters<typeof useCan<typeof Recipes.schema, "recipe">>[2];

/** Renders useCan for `user` and resolves with every value it returned, in order. */
async function settle(user: User, action: Action, item?: OwnableItem) {
  const seen: (boolean | undefined)[] = [];
  const { result } = renderHook(
    () => {
      const value = useCan(Recipes, "recipe", action, item);
      seen.push(value);
      return value;
    },
    { wrapper: wrapperFor(user) },
  );
  await waitFor(() => expect(result.current).not.toBeUndefined());
  return { value: result.current, seen };
}

describe("useCan", () => {
  it.each([
    ["joe", "edit", joesRecipe, true],
    ["joe", "edit", janesRecipe, false],
    ["joe", "delete", joesRecipe, true],
    ["joe", "delete", janesRecipe, false],
    ["joe", "access", janesRecipe, false],
    ["joe", "read", undefined, true],
    ["joe", "create", undefined, true],
    ["joe", "publish", undefined, false],
    ["jane", "edit", janesRecipe, true],
    ["jane", "edit", joesRecipe, false],
    ["ed", "edit", janesRecipe, true],
    ["ed", "publish", undefined, true],
    ["ed", "unpublish", undefined, true],
    ["ed", "approve", undefined, true],
    ["joe", "approve", undefined, false],
    ["admin", "delete", janesRecipe, true],
    ["anonymous", "read", undefined, false],
    ["anonymous", "edit", joesRecipe, false],
  ] as const)("%s may %s %o: %s", async (who, action, item, expected) => {
    const { value } = await settle(users[who], action, item);
    expect(value).toBe(expected);
  });

  it("is undefined until resolved and never true on the way to a denial", async () => {
    const { value, seen } = await settle(users.joe, "edit", janesRecipe);
    expect(value).toBe(false);
    expect(seen[0]).toBeUndefined();
    expect(seen).not.toContain(true);
  });

  it("drops an answer given for another user instead of flashing it", async () => {
    let user: User = users.joe;
    const seen: (boolean | undefined)[] = [];
    const { result, rerender } = renderHook(
      () => {
        const value = useCan(Recipes, "recipe", "edit", joesRecipe);
        seen.push(value);
        return value;
      },
      { wrapper: ({ children }) => wrapperFor(user)({ children }) },
    );
    await waitFor(() => expect(result.current).toBe(true));
    seen.length = 0;
    user = users.jane;
    rerender();
    expect(seen[0]).toBeUndefined();
    await waitFor(() => expect(result.current).toBe(false));
    expect(seen).not.toContain(true);
  });

  it("does not re-check for a fresh item object with the same owner", async () => {
    const seen: (boolean | undefined)[] = [];
    const { result, rerender } = renderHook(
      () => {
        const value = useCan(Recipes, "recipe", "edit", { ...joesRecipe });
        seen.push(value);
        return value;
      },
      { wrapper: wrapperFor(users.joe) },
    );
    await waitFor(() => expect(result.current).toBe(true));
    rerender();
    expect(result.current).toBe(true);
    expect(seen.filter((v) => v === undefined)).toHaveLength(1);
  });

  it("treats an item without a creator as nobody's under own scope", async () => {
    const { value } = await settle(users.joe, "edit", { id: "x", createdBy: null });
    expect(value).toBe(false);
  });

  it("uses the provider's definition in the short form", async () => {
    const { result } = renderHook(() => useCan("recipe", "edit", janesRecipe), {
      wrapper: wrapperFor(users.jane, { definition: RecipePermissions }),
    });
    await waitFor(() => expect(result.current).toBe(true));
  });

  it("throws a TypeError in the short form without a provider definition", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(() => renderHook(() => useCan("recipe", "edit"), { wrapper: wrapperFor(users.joe) })).toThrow(TypeError);
    } finally {
      spy.mockRestore();
    }
  });

  it("denies and reports to onError when the check throws (unknown entity)", async () => {
    const onError = vi.fn();
    const { result } = renderHook(() => useCan("dessert", "read"), {
      wrapper: wrapperFor(users.admin, { definition: Recipes, onError }),
    });
    await waitFor(() => expect(result.current).toBe(false));
    expect(onError).toHaveBeenCalledWith(expect.any(TypeError));
  });

  it("denies an unknown action name", async () => {
    const { result } = renderHook(() => useCan("recipe", "launch"), { wrapper: wrapperFor(users.ed, { definition: Recipes }) });
    await waitFor(() => expect(result.current).toBe(false));
  });

  it("throws a clear Error outside a provider", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(() => renderHook(() => useCan(Recipes, "recipe", "read"))).toThrow(/outside <SecurityProvider>/);
    } finally {
      spy.mockRestore();
    }
  });
});
