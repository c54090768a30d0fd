import { expect, it } from "vitest";
import { describeStores, unique } from "./helpers.js";

describeStores("assignments and permissionsFor", ({ setup }) => {
  async function seeded() {
    const store = await setup();
    const [reader, writer, admin] = [unique("reader"), unique("writer"), unique("admin")];
    await store.roles.create({ slug: reader, name: "Reader", permissions: [{ name: "recipes.recipe", rwd: "r" }] });
    await store.roles.create({ slug: writer, name: "Writer", permissions: [{ name: "recipes.recipe", rwd: "rw", own: true }] });
    await store.roles.create({ slug: admin, name: "Admin", permissions: [{ name: "*" }] });
    const team = unique("team");
    await store.groups.create({ slug: team, name: "Team", roles: [writer, reader] });
    return { store, reader, writer, admin, team, user: unique("user") };
  }

  it("assigns, lists and unassigns roles and groups", async () => {
    const { store, reader, team, user } = await seeded();
    await store.assignments.assign(user, { roles: [reader], groups: [team] });
    await store.assignments.assign(user, { roles: [reader] }); // idempotent
    expect(await store.assignments.list(user)).toEqual({ roles: [reader], groups: [team] });
    await store.assignments.unassign(user, { groups: [team], roles: ["never-assigned"] });
    expect(await store.assignments.list(user)).toEqual({ roles: [reader], groups: [] });
    expect(await store.assignments.list(unique("nobody"))).toEqual({ roles: [], groups: [] });
  });

  it("permissionsFor unions direct roles and group roles, listing shared ones once", async () => {
    const { store, reader, writer, admin, team, user } = await seeded();
    await store.assignments.assign(user, { roles: [reader, admin], groups: [team] });
    const permissions = await store.permissionsFor(user);
    expect(permissions).toHaveLength(3);
    expect(permissions).toEqual(
      expect.arrayContaining([{ name: "recipes.recipe", rwd: "r" }, { name: "recipes.recipe", rwd: "rw", own: true }, { name: "*" }]),
    );
    expect(await store.rolesFor(user)).toEqual([reader, writer, admin].sort());
  });

  it("an identity with nothing assigned has no permissions", async () => {
    const { store } = await seeded();
    expect(await store.permissionsFor(unique("nobody"))).toEqual([]);
    expect(await store.rolesFor(unique("nobody"))).toEqual([]);
  });

  it("follows changes to roles and groups", async () => {
    const { store, reader, team, user } = await seeded();
    await store.assignments.assign(user, { groups: [team] });
    await store.groups.update(team, { roles: [reader] });
    expect(await store.permissionsFor(user)).toEqual([{ name: "recipes.recipe", rwd: "r" }]);
    await store.roles.update(reader, { permissions: [{ name: "recipes.recipe", rwd: "rwd" }] });
    expect(await store.permissionsFor(user)).toEqual([{ name: "recipes.recipe", rwd: "rwd" }]);
    await store.roles.delete(reader);
    expect(await store.permissionsFor(user)).toEqual([]);
  });

  it("rejects an unknown role or group with NOT_FOUND and assigns nothing", async () => {
    const { store, reader, user } = await seeded();
    await expect(store.assignments.assign(user, { roles: [reader, "ghost"] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(store.assignments.assign(user, { groups: ["ghost-team"] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await store.assignments.list(user)).toEqual({ roles: [], groups: [] });
  });

  it("rejects bad input", async () => {
    const { store } = await seeded();
    await expect(store.assignments.assign("", { roles: [] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(store.assignments.assign(unique(), { roles: "x" as never })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(store.assignments.assign(unique(), null as never)).rejects.toBeInstanceOf(TypeError);
  });

  it("emits an assignment change for the identity", async () => {
    const { store, reader, user } = await seeded();
    const seen: unknown[] = [];
    const off = store.onChange((e) => e.kind === "assignment" && seen.push(e));
    await store.assignments.assign(user, { roles: [reader] });
    off();
    expect(seen).toEqual([{ kind: "assignment", id: user }]);
  });

  it("50 parallel assignment changes lose no update", async () => {
    const store = await setup();
    const user = unique("busy");
    const slugs = Array.from({ length: 50 }, (_, i) => unique(`r${i}`));
    for (const slug of slugs) await store.roles.create({ slug, name: slug, permissions: [{ name: `p.${slug}` }] });
    // Pre-assign the odd ones; then in parallel: assign the evens, unassign the odds.
    await store.assignments.assign(user, { roles: slugs.filter((_, i) => i % 2 === 1) });
    await Promise.all(
      slugs.map((slug, i) =>
        i % 2 === 0 ? store.assignments.assign(user, { roles: [slug] }) : store.assignments.unassign(user, { roles: [slug] }),
      ),
    );
    const expected = slugs.filter((_, i) => i % 2 === 0).sort();
    expect((await store.assignments.list(user)).roles).toEqual(expected);
    expect((await store.permissionsFor(user)).map((p) => p.name).sort()).toEqual(expected.map((s) => `p.${s}`).sort());
  });
});
