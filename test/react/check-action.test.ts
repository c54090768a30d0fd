import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { isBuiltInAction } from "gatehouse/react";
import { checkAction, itemKey } from "../../src/react/check-action.js";
import { Recipes, users } from "./fixtures.js";

describe("checkAction", () => {
  const setup = (user: (typeof users)[keyof typeof users]) =>
    createSecurityContext({ identity: user.identity, permissions: user.permissions });

  it("maps each built-in action to its check", async () => {
    const ctx = setup(users.ed);
    for (const action of ["access", "read", "create", "edit", "delete", "publish", "unpublish"]) {
      await expect(checkAction(Recipes, ctx, "recipe", action, { createdBy: { id: "x" } })).resolves.toBe(true);
    }
  });

  it("checks custom actions as permission flags", async () => {
    await expect(checkAction(Recipes, setup(users.ed), "recipe", "approve")).resolves.toBe(true);
    await expect(checkAction(Recipes, setup(users.joe), "recipe", "approve")).resolves.toBe(false);
  });

  it("rejects (never throws synchronously) for an unknown entity", async () => {
    const pending = checkAction(Recipes, setup(users.admin), "dessert", "read");
    await expect(pending).rejects.toBeInstanceOf(TypeError);
  });
});

describe("isBuiltInAction", () => {
  it("knows the seven built-ins and nothing else", () => {
    expect(["access", "read", "create", "edit", "delete", "publish", "unpublish"].every(isBuiltInAction)).toBe(true);
    expect(isBuiltInAction("approve")).toBe(false);
    expect(isBuiltInAction("toString")).toBe(false);
  });
});

describe("itemKey", () => {
  it("depends only on presence and owner", () => {
    expect(itemKey(undefined)).toBe(itemKey(null));
    expect(itemKey({ createdBy: { id: "joe" }, title: "a" })).toBe(itemKey({ createdBy: { id: "joe" }, title: "b" }));
    expect(itemKey({ createdBy: { id: "joe" } })).not.toBe(itemKey({ createdBy: { id: "jane" } }));
    expect(itemKey({ createdBy: null })).toBe(itemKey({}));
    expect(itemKey({ createdBy: null })).not.toBe(itemKey(undefined));
  });
});
