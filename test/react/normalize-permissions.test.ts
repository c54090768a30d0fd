import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { normalizePermissions } from "gatehouse/react";
import { Recipes } from "./fixtures.js";

describe("normalizePermissions", () => {
  it("drops null properties so they read as absent", () => {
    expect(normalizePermissions([{ name: "recipes.recipe", own: true, rwd: null, pw: null }])).toEqual([
      { name: "recipes.recipe", own: true },
    ]);
  });

  it("restores the server's meaning: a missing rwd is unrestricted", async () => {
    const raw = [{ name: "recipes.recipe", own: null, rwd: null, pw: "p" }];
    const ctx = createSecurityContext({ identity: { id: "ed" }, permissions: normalizePermissions(raw) });
    await expect(Recipes.for(ctx).canDelete("recipe", { createdBy: { id: "joe" } })).resolves.toBe(true);
    await expect(Recipes.for(ctx).canPublish("recipe")).resolves.toBe(true);
  });

  it("keeps false and empty-string values (they are real restrictions)", () => {
    expect(normalizePermissions([{ name: "a", own: false, rwd: "" }])).toEqual([{ name: "a", own: false, rwd: "" }]);
  });

  it("drops entries without a usable name and non-objects", () => {
    expect(normalizePermissions([null, 3, "x", {}, { name: "" }, { name: 1 }, { name: "ok" }])).toEqual([{ name: "ok" }]);
  });

  it("returns [] for a missing list", () => {
    expect(normalizePermissions(null)).toEqual([]);
    expect(normalizePermissions(undefined)).toEqual([]);
  });
});
