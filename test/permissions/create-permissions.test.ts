import { describe, expect, it } from "vitest";
import { createPermissions, createSecurityContext, type Identity, type Permission } from "gatehouse";

const Schema = createPermissions({
  prefix: "recipes",
  fullAccess: { name: "recipes.*" },
  entities: [
    { id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"], actions: [{ name: "rwd" }, { name: "pw" }, { name: "approve" }] },
    { id: "settings", permission: "recipes.settings", scopes: ["full"] },
  ],
} as const);

const JOE: Identity = { id: "joe" };
const joes = { createdBy: { id: "joe" } };
const janes = { createdBy: { id: "jane" } };
const orphan = { createdBy: null };
const noCreator = {};

type Method = "canAccess" | "onlyOwnRecords" | "canRead" | "canCreate" | "canEdit" | "canDelete" | "canPublish" | "canUnpublish";
type Row = [label: string, perms: Permission[], method: Method, item: object | undefined, expected: boolean, identity?: Identity | null];

function setup(permissions: Permission[], identity: Identity | null = JOE) {
  return Schema.for(createSecurityContext({ identity, permissions }));
}

const R = (extra: object = {}): Permission => ({ name: "recipes.recipe", ...extra });

// One row per case of createPermissions' documented semantics.
const rows: Row[] = [
  // 3-tier bypass
  ["* bypasses everything: delete own-less", [{ name: "*" }], "canDelete", janes, true],
  ["* bypasses pw", [{ name: "*" }], "canPublish", undefined, true],
  ["* is not onlyOwnRecords", [{ name: "*" }], "onlyOwnRecords", undefined, false],
  ["fullAccess bypasses ownership", [{ name: "recipes.*" }], "canEdit", janes, true],
  ["fullAccess bypasses missing pw", [{ name: "recipes.*" }], "canUnpublish", undefined, true],
  ["fullAccess is not onlyOwnRecords", [{ name: "recipes.*" }], "onlyOwnRecords", undefined, false],
  ["other schema's fullAccess grants nothing", [{ name: "blog.*" }], "canRead", undefined, false],
  ["no permission: read", [], "canRead", undefined, false],
  ["no permission: access", [], "canAccess", undefined, false],
  // rwd letters alone and combined
  ["rwd r: read", [R({ rwd: "r" })], "canRead", undefined, true],
  ["rwd r: create", [R({ rwd: "r" })], "canCreate", undefined, false],
  ["rwd r: edit", [R({ rwd: "r" })], "canEdit", undefined, false],
  ["rwd r: delete", [R({ rwd: "r" })], "canDelete", undefined, false],
  ["rwd w: create", [R({ rwd: "w" })], "canCreate", undefined, true],
  ["rwd w: read", [R({ rwd: "w" })], "canRead", undefined, false],
  ["rwd d: delete", [R({ rwd: "d" })], "canDelete", undefined, true],
  ["rwd d: edit", [R({ rwd: "d" })], "canEdit", undefined, false],
  ["rwd rw: edit", [R({ rwd: "rw" })], "canEdit", janes, true],
  ["rwd rw: delete", [R({ rwd: "rw" })], "canDelete", janes, false],
  ["rwd rwd: delete", [R({ rwd: "rwd" })], "canDelete", janes, true],
  ["rwd empty: read", [R({ rwd: "" })], "canRead", undefined, false],
  ["rwd non-string grants nothing", [R({ rwd: true })], "canRead", undefined, false],
  // missing rwd = unrestricted
  ["no rwd: read", [R()], "canRead", undefined, true],
  ["no rwd: create", [R()], "canCreate", undefined, true],
  ["no rwd: delete item", [R()], "canDelete", janes, true],
  // pw
  ["pw p: publish", [R({ pw: "p" })], "canPublish", undefined, true],
  ["pw p: unpublish", [R({ pw: "p" })], "canUnpublish", undefined, false],
  ["pw u: unpublish", [R({ pw: "u" })], "canUnpublish", undefined, true],
  ["pw pu: both", [R({ pw: "pu" })], "canUnpublish", undefined, true],
  ["no pw: no publish", [R()], "canPublish", undefined, false],
  ["no pw: no unpublish", [R({ rwd: "rwd" })], "canUnpublish", undefined, false],
  // own scope
  ["own: access owned", [R({ own: true })], "canAccess", joes, true],
  ["own: access not owned", [R({ own: true })], "canAccess", janes, false],
  ["own: access createdBy null", [R({ own: true })], "canAccess", orphan, false],
  ["own: access createdBy missing", [R({ own: true })], "canAccess", noCreator, false],
  ["own: access without item", [R({ own: true })], "canAccess", undefined, true],
  ["own: edit owned", [R({ own: true, rwd: "rw" })], "canEdit", joes, true],
  ["own: edit not owned", [R({ own: true, rwd: "rw" })], "canEdit", janes, false],
  ["own: edit createdBy null", [R({ own: true, rwd: "rw" })], "canEdit", orphan, false],
  ["gotcha: own edit without item = true", [R({ own: true, rwd: "rw" })], "canEdit", undefined, true],
  ["gotcha: own delete without item = false", [R({ own: true, rwd: "rwd" })], "canDelete", undefined, false],
  ["own: delete owned", [R({ own: true, rwd: "rwd" })], "canDelete", joes, true],
  ["own: delete not owned", [R({ own: true, rwd: "rwd" })], "canDelete", janes, false],
  ["own: delete createdBy null", [R({ own: true, rwd: "rwd" })], "canDelete", orphan, false],
  ["gotcha: canAccess without item = true", [R({ own: true })], "canAccess", undefined, true],
  ["full: delete without item", [R({ rwd: "rwd" })], "canDelete", undefined, true],
  ["full: access anyone's item", [R()], "canAccess", janes, true],
  // several permission objects are OR-ed
  ["OR: own rw + full r -> read", [R({ own: true, rwd: "rw" }), R({ rwd: "r" })], "canRead", undefined, true],
  ["OR: own rw + full r -> edit janes false", [R({ own: true, rwd: "rw" }), R({ rwd: "r" })], "canEdit", janes, false],
  ["OR: own rwd + full rwd -> delete janes", [R({ own: true, rwd: "rwd" }), R({ rwd: "rwd" })], "canDelete", janes, true],
  ["OR: own + full -> access janes", [R({ own: true }), R({ rwd: "r" })], "canAccess", janes, true],
  // onlyOwnRecords across several permission objects
  ["onlyOwn: single own", [R({ own: true })], "onlyOwnRecords", undefined, true],
  ["onlyOwn: all own", [R({ own: true, rwd: "r" }), R({ own: true, rwd: "w" })], "onlyOwnRecords", undefined, true],
  ["onlyOwn: one full among own", [R({ own: true }), R()], "onlyOwnRecords", undefined, false],
  ["onlyOwn: own false", [R({ own: false })], "onlyOwnRecords", undefined, false],
  ["onlyOwn: no permission", [], "onlyOwnRecords", undefined, false],
  // an `own` that is neither true nor false is malformed: that permission grants nothing, never all records
  ["malformed own 'true': no edit of janes", [R({ own: "true" })], "canEdit", janes, false],
  ["malformed own 1: no access to janes", [R({ own: 1 })], "canAccess", janes, false],
  ["malformed own null: no read", [R({ own: null })], "canRead", undefined, false],
  ["malformed own beside own: janes stays out", [R({ own: "yes" }), R({ own: true })], "canDelete", janes, false],
  ["malformed own beside own: joes allowed", [R({ own: "yes" }), R({ own: true })], "canDelete", joes, true],
  ["malformed own beside own: onlyOwn", [R({ own: "yes" }), R({ own: true })], "onlyOwnRecords", undefined, true],
  // anonymous
  ["anonymous: nothing", [], "canRead", undefined, false, null],
  ["anonymous granted read", [R({ rwd: "r" })], "canRead", undefined, true, null],
  ["anonymous never owns", [R({ own: true, rwd: "rwd" })], "canEdit", { createdBy: { id: "" } }, false, null],
  ["anonymous own delete", [R({ own: true, rwd: "rwd" })], "canDelete", joes, false, null],
  // entity without own scope
  ["settings: full access", [{ name: "recipes.settings" }], "canEdit", noCreator, true],
  ["settings: recipe permission does not apply", [R()], "canAccess" as Method, undefined, false],
];

describe("createPermissions: semantics matrix", () => {
  it.each(rows)("%s", async (_label, perms, method, item, expected, identity = JOE) => {
    const p = setup(perms, identity);
    const entity = _label.startsWith("settings") ? "settings" : "recipe";
    const result = method === "onlyOwnRecords" || !["canAccess", "canEdit", "canDelete"].includes(method)
      ? await (p[method] as (e: "recipe" | "settings") => Promise<boolean>)(entity)
      : await (p[method] as (e: "recipe" | "settings", i?: object) => Promise<boolean>)(entity, item);
    expect(result).toBe(expected);
  });
});

describe("createPermissions: custom actions", () => {
  const cases: [string, Permission[], boolean][] = [
    ["flag true", [R({ approve: true })], true],
    ["flag false", [R({ approve: false })], false],
    ["flag truthy string is not true", [R({ approve: "yes" })], false],
    ["flag missing", [R()], false],
    ["OR across objects", [R(), R({ approve: true })], true],
    ["fullAccess", [{ name: "recipes.*" }], true],
  ];
  it.each(cases)("canAction: %s", async (_l, perms, expected) => {
    expect(await setup(perms).canAction("approve", "recipe")).toBe(expected);
  });
});

describe("createPermissions: programming errors", () => {
  it("unknown entity throws, under * and fullAccess too", async () => {
    for (const perms of [[], [{ name: "*" }], [{ name: "recipes.*" }]]) {
      const p = setup(perms) as unknown as { canRead(e: string): Promise<boolean>; onlyOwnRecords(e: string): Promise<boolean> };
      await expect(p.canRead("nope")).rejects.toThrow(TypeError);
      await expect(p.onlyOwnRecords("nope")).rejects.toThrow(/Unknown entity "nope"/);
    }
  });
  it("rejects malformed schemas at creation", () => {
    expect(() => createPermissions({ prefix: "x", entities: [{ id: "a", permission: "x.a" }, { id: "a", permission: "x.b" }] })).toThrow(/duplicate entity id "a"/);
    expect(() => createPermissions({ prefix: "x", entities: [{ id: "", permission: "x.a" }] })).toThrow(TypeError);
    expect(() => createPermissions({ prefix: "x", entities: [{ id: "a", permission: "" }] })).toThrow(TypeError);
    expect(() => createPermissions({ prefix: "x" } as never)).toThrow(TypeError);
  });
  it("withoutAuthorization bypasses checks for its scope only", async () => {
    const ctx = createSecurityContext({ identity: JOE, permissions: [] });
    const p = Schema.for(ctx);
    expect(await ctx.withoutAuthorization(() => p.canDelete("recipe", janes))).toBe(true);
    expect(await p.canDelete("recipe", janes)).toBe(false);
  });
});
