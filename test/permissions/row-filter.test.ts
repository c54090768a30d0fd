import { describe, expect, it } from "vitest";
import { createPermissions, createSecurityContext, type Identity, type OwnableItem, type Permission, type RowAction } from "gatehouse";
import { toPredicate, type Filter } from "gatehouse/filter";

const Schema = createPermissions({
  prefix: "recipes",
  fullAccess: { name: "recipes.*" },
  entities: [{ id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"], actions: [{ name: "rwd" }, { name: "pw" }] }],
} as const);

const R = (extra: object = {}): Permission => ({ name: "recipes.recipe", ...extra });
const ALL: Filter = { kind: "all" };
const NONE: Filter = { kind: "none" };
const OWN: Filter = { kind: "where", where: { op: "eq", field: "createdBy.id", value: "joe" } };

function setup(permissions: Permission[], identity: Identity | null = { id: "joe" }) {
  return Schema.for(createSecurityContext({ identity, permissions }));
}

describe("perms.filter(entity, action)", () => {
  it.each<[string, Permission[], RowAction, Filter, (Identity | null)?]>([
    ["* reads every row", [{ name: "*" }], "read", ALL],
    ["fullAccess deletes every row", [{ name: "recipes.*" }], "delete", ALL],
    ["fullAccess publishes without pw", [{ name: "recipes.*" }], "publish", ALL],
    ["no permission reads nothing", [], "read", NONE],
    ["another schema's wildcard reads nothing", [{ name: "blog.*" }], "read", NONE],
    ["full read", [R({ rwd: "r" })], "read", ALL],
    ["own read", [R({ rwd: "r", own: true })], "read", OWN],
    ["no rwd: unrestricted", [R()], "delete", ALL],
    ["own edit", [R({ rwd: "rw", own: true })], "edit", OWN],
    ["own without d deletes nothing", [R({ rwd: "rw", own: true })], "delete", NONE],
    ["w alone does not read", [R({ rwd: "w" })], "read", NONE],
    ["OR-ed: own rwd + full r reads all", [R({ rwd: "rwd", own: true }), R({ rwd: "r" })], "read", ALL],
    ["OR-ed: own rwd + full r edits own", [R({ rwd: "rwd", own: true }), R({ rwd: "r" })], "edit", OWN],
    ["OR-ed: full w + own d deletes own", [R({ rwd: "w" }), R({ rwd: "d", own: true })], "delete", OWN],
    ["no pw: no publishing", [R({ rwd: "rwd" })], "publish", NONE],
    ["pw p publishes all", [R({ pw: "p" })], "publish", ALL],
    ["pw p does not unpublish", [R({ pw: "p" })], "unpublish", NONE],
    ["own pw publishes own", [R({ pw: "pu", own: true })], "unpublish", OWN],
    // canPublish comes from one permission, canAccess(row) from another.
    ["publish: own pw + full r reaches every row", [R({ pw: "p", own: true }), R({ rwd: "r" })], "publish", ALL],
    ["anonymous with own permission: nothing", [R({ own: true })], "read", NONE, null],
    ["anonymous with a full permission: every row", [R({ rwd: "r" })], "read", ALL, null],
  ])("%s", (_label, permissions, action, expected, identity) => {
    expect(setup(permissions, identity === undefined ? { id: "joe" } : identity).filter("recipe", action)).toEqual(expected);
  });

  it("throws a TypeError on an unknown entity or action, even under full access", () => {
    const perms = setup([{ name: "*" }]);
    expect(() => perms.filter("nope" as never, "read")).toThrow(TypeError);
    expect(() => perms.filter("recipe", "approve" as never)).toThrow(/Unknown row action/);
  });

  it("selects exactly the rows the checks allow, for every combination of small permission sets", async () => {
    const pieces: Permission[] = [
      { name: "*" },
      { name: "recipes.*" },
      { name: "blog.*" },
      R(),
      R({ own: true }),
      R({ rwd: "r" }),
      R({ rwd: "r", own: true }),
      R({ rwd: "wd", own: true }),
      R({ rwd: "", pw: "p" }),
      R({ pw: "pu", own: true }),
      R({ rwd: 5 }),
      R({ own: "yes", rwd: "d" }),
    ];
    const rows = [
      { createdBy: { id: "joe" } },
      { createdBy: { id: "jane" } },
      { createdBy: null },
      {},
      { createdBy: { id: null } },
      { createdBy: { id: ["joe"] } },
      { createdBy: "joe" },
      // Malformed items (from data, not types) must be nobody's as well.
    ] as unknown as OwnableItem[];
    const check: Record<RowAction, (p: ReturnType<typeof setup>, row: OwnableItem) => Promise<boolean>> = {
      read: async (p, row) => (await p.canRead("recipe")) && (await p.canAccess("recipe", row)),
      edit: (p, row) => p.canEdit("recipe", row),
      delete: (p, row) => p.canDelete("recipe", row),
      publish: async (p, row) => (await p.canPublish("recipe")) && (await p.canAccess("recipe", row)),
      unpublish: async (p, row) => (await p.canUnpublish("recipe")) && (await p.canAccess("recipe", row)),
    };
    let compared = 0;
    for (const identity of [{ id: "joe" }, null]) {
      for (let a = 0; a < pieces.length; a++) {
        for (let b = a; b < pieces.length; b++) {
          const perms = setup(a === b ? [pieces[a]!] : [pieces[a]!, pieces[b]!], identity);
          for (const action of Object.keys(check) as RowAction[]) {
            const selected = toPredicate(perms.filter("recipe", action));
            for (const row of rows) {
              expect([a, b, identity, action, row, selected(row)]).toEqual([a, b, identity, action, row, await check[action](perms, row)]);
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(2 * 78 * 5 * rows.length);
  });
});
