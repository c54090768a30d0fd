import { expect, it } from "vitest";
import { describeStores, unique } from "./helpers.js";

describeStores("roles", ({ setup }) => {
  it("creates, reads, lists, updates and deletes a role", async () => {
    const store = await setup();
    const slug = unique("editor");
    const role = await store.roles.create({ slug, name: "Editor", permissions: [{ name: "recipes.recipe", rwd: "rw", own: true }] });
    expect(role).toMatchObject({ slug, name: "Editor", description: "", permissions: [{ name: "recipes.recipe", rwd: "rw", own: true }] });
    expect(role.createdAt).toBeInstanceOf(Date);
    expect(await store.roles.get(slug)).toEqual(role);
    expect((await store.roles.list()).map((r) => r.slug)).toContain(slug);

    const updated = await store.roles.update(slug, { description: "Writes recipes", permissions: [{ name: "recipes.*" }] });
    expect(updated).toMatchObject({ slug, name: "Editor", description: "Writes recipes", permissions: [{ name: "recipes.*" }] });

    expect(await store.roles.delete(slug)).toBe(true);
    expect(await store.roles.get(slug)).toBeNull();
    expect(await store.roles.delete(slug)).toBe(false);
  });

  it("stores a copy of the permissions, not the caller's objects", async () => {
    const store = await setup();
    const permissions = [{ name: "a.b", tags: ["x"] }];
    const slug = unique("copy");
    await store.roles.create({ slug, name: "Copy", permissions });
    permissions[0]!.tags.push("y");
    expect((await store.roles.get(slug))!.permissions).toEqual([{ name: "a.b", tags: ["x"] }]);
  });

  it.each([
    ["not an array", { name: "x" }],
    ["entry without name", [{ rwd: "r" }]],
    ["non-string name", [{ name: 3 }]],
    ["empty name", [{ name: " " }]],
    ["non-JSON value", [{ name: "x", when: new Date() }]],
    ["non-finite number", [{ name: "x", n: Infinity }]],
    ["null entry", [null]],
  ])("rejects invalid permissions (%s) with a TypeError", async (_label, permissions) => {
    const store = await setup();
    const create = store.roles.create({ slug: unique("bad"), name: "Bad", permissions: permissions as never });
    await expect(create).rejects.toBeInstanceOf(TypeError);
    await expect(store.roles.create({ slug: unique("bad"), name: "Bad", permissions: permissions as never })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });

  it.each([["Upper"], [""], ["has space"], ["-lead"], [42]])("rejects the slug %j", async (slug) => {
    const store = await setup();
    await expect(store.roles.create({ slug: slug as never, name: "X", permissions: [] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("rejects a missing name and a bad patch", async () => {
    const store = await setup();
    await expect(store.roles.create({ slug: unique(), name: "", permissions: [] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const slug = unique();
    await store.roles.create({ slug, name: "R", permissions: [] });
    await expect(store.roles.update(slug, { permissions: "x" as never })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(store.roles.update(slug, null as never)).rejects.toBeInstanceOf(TypeError);
  });

  it("rejects a duplicate slug with CONFLICT and keeps the first", async () => {
    const store = await setup();
    const slug = unique("dup");
    await store.roles.create({ slug, name: "First", permissions: [] });
    await expect(store.roles.create({ slug, name: "Second", permissions: [] })).rejects.toMatchObject({ code: "CONFLICT", status: 409 });
    expect((await store.roles.get(slug))!.name).toBe("First");
  });

  it("updating an unknown role is NOT_FOUND", async () => {
    const store = await setup();
    await expect(store.roles.update(unique("missing"), { name: "X" })).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
  });

  it("emits a change event per write", async () => {
    const store = await setup();
    const slug = unique();
    const seen: string[] = [];
    const off = store.onChange((e) => e.id === slug && seen.push(`${e.kind}:${e.id}`));
    await store.roles.create({ slug, name: "R", permissions: [] });
    await store.roles.update(slug, { name: "R2" });
    await store.roles.delete(slug);
    off();
    await store.roles.create({ slug, name: "R", permissions: [] });
    expect(seen).toEqual([`role:${slug}`, `role:${slug}`, `role:${slug}`]);
  });
});

describeStores("groups", ({ setup }) => {
  async function withRoles() {
    const store = await setup();
    const a = unique("ra");
    const b = unique("rb");
    await store.roles.create({ slug: a, name: "A", permissions: [{ name: "a" }] });
    await store.roles.create({ slug: b, name: "B", permissions: [{ name: "b" }] });
    return { store, a, b };
  }

  it("creates, reads, lists, updates and deletes a group", async () => {
    const { store, a, b } = await withRoles();
    const slug = unique("team");
    const group = await store.groups.create({ slug, name: "Team", description: "d", roles: [b, a, a] });
    expect(group).toMatchObject({ slug, name: "Team", description: "d", roles: [a, b].sort() });
    expect(await store.groups.get(slug)).toEqual(group);
    expect((await store.groups.list()).map((g) => g.slug)).toContain(slug);
    expect(await store.groups.update(slug, { roles: [a] })).toMatchObject({ name: "Team", roles: [a] });
    expect(await store.groups.update(slug, { name: "Renamed" })).toMatchObject({ name: "Renamed", roles: [a] });
    expect(await store.groups.delete(slug)).toBe(true);
    expect(await store.groups.get(slug)).toBeNull();
  });

  it("rejects an unknown role with NOT_FOUND and creates nothing", async () => {
    const { store, a } = await withRoles();
    const slug = unique("team");
    await expect(store.groups.create({ slug, name: "T", roles: [a, "no-such-role"] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await store.groups.get(slug)).toBeNull();
  });

  it("rejects duplicates, bad input and unknown groups", async () => {
    const { store } = await withRoles();
    const slug = unique("team");
    await store.groups.create({ slug, name: "T", roles: [] });
    await expect(store.groups.create({ slug, name: "T", roles: [] })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(store.groups.create({ slug: unique(), name: "T", roles: "a" as never })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(store.groups.update(unique("nope"), { name: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("deleting a role removes it from groups", async () => {
    const { store, a, b } = await withRoles();
    const slug = unique("team");
    await store.groups.create({ slug, name: "T", roles: [a, b] });
    await store.roles.delete(a);
    expect((await store.groups.get(slug))!.roles).toEqual([b]);
  });
});
