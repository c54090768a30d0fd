// Prototype pollution against schema permissions: a property inherited from
// Object.prototype (e.g. set through a vulnerable merge elsewhere in the app)
// must never grant anything. Only a permission's, an item's or the schema's
// own properties count.
import { afterEach, describe, expect, it } from "vitest";
import { createPermissions, createSecurityContext, type Identity, type Permission } from "gatehouse";

const schema = {
  prefix: "recipes",
  entities: [{ id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"], actions: [{ name: "rwd" }, { name: "pw" }, { name: "approve" }] }],
} as const;

const polluted = Object.prototype as unknown as Record<string, unknown>;
const keys: string[] = [];
function pollute(key: string, value: unknown): void {
  keys.push(key);
  polluted[key] = value;
}

function setup(permissions: Permission[], identity: Identity | null = { id: "joe" }) {
  const Recipes = createPermissions(schema);
  return Recipes.for(createSecurityContext({ identity, permissions }));
}

afterEach(() => {
  for (const key of keys.splice(0)) delete polluted[key];
});

describe("createPermissions ignores inherited properties", () => {
  it("an inherited pw does not grant publishing", async () => {
    pollute("pw", "pu");
    const perms = setup([{ name: "recipes.recipe", rwd: "r" }]);
    expect(await perms.canPublish("recipe")).toBe(false);
    expect(await perms.canUnpublish("recipe")).toBe(false);
    // An own pw still works.
    expect(await setup([{ name: "recipes.recipe", pw: "p" }]).canPublish("recipe")).toBe(true);
  });

  it("an inherited custom action flag does not grant the action", async () => {
    pollute("approve", true);
    expect(await setup([{ name: "recipes.recipe" }]).canAction("approve", "recipe")).toBe(false);
  });

  it("an inherited rwd does not change the letters a permission grants", async () => {
    pollute("rwd", "");
    // No own rwd: unrestricted, as if nothing were polluted.
    expect(await setup([{ name: "recipes.recipe" }]).canDelete("recipe")).toBe(true);
  });

  it("an inherited own does not turn a full permission into an own one, nor the reverse", async () => {
    pollute("own", true);
    const perms = setup([{ name: "recipes.recipe", rwd: "rwd" }]);
    expect(await perms.onlyOwnRecords("recipe")).toBe(false);
    expect(await perms.canEdit("recipe", { createdBy: { id: "jane" } })).toBe(true);
  });

  it("an inherited createdBy does not make the caller the owner", async () => {
    pollute("createdBy", { id: "joe" });
    const perms = setup([{ name: "recipes.recipe", own: true, rwd: "rwd" }]);
    expect(await perms.canAccess("recipe", {})).toBe(false);
    expect(await perms.canEdit("recipe", {})).toBe(false);
    expect(await perms.canDelete("recipe", {})).toBe(false);
    expect(await perms.canDelete("recipe", { createdBy: { id: "joe" } })).toBe(true);
    expect(perms.filter("recipe", "delete")).toEqual({ kind: "where", where: { op: "eq", field: "createdBy.id", value: "joe" } });
  });

  it("an inherited fullAccess on the schema grants nothing", async () => {
    pollute("fullAccess", { name: "everything" });
    const perms = setup([{ name: "everything" }]);
    expect(await perms.canRead("recipe")).toBe(false);
    expect(await perms.canPublish("recipe")).toBe(false);
    expect(perms.filter("recipe", "read")).toEqual({ kind: "none" });
  });

  it("an inherited pw does not widen the publish filter", async () => {
    pollute("pw", "pu");
    expect(setup([{ name: "recipes.recipe", rwd: "r" }]).filter("recipe", "publish")).toEqual({ kind: "none" });
  });
});
