// NUL in user input: Postgres text cannot hold it, so lookups must treat it as
// "not found" and writes must refuse it by name, instead of failing in SQL.
import { expect, it, vi } from "vitest";
import { describeStores, unique } from "./helpers.js";

describeStores("users and NUL bytes", ({ setup }) => {
  async function withUser() {
    const store = await setup();
    const username = unique("nul");
    const user = await store.users.create({ username, password: "password123", displayName: "Nul" });
    return { store, username, user };
  }

  it("verifyPassword answers null for a username with NUL, even next to a real one", async () => {
    const { store, username } = await withUser();
    expect(await store.users.verifyPassword(`${username}\u0000`, "password123")).toBeNull();
    expect(await store.users.verifyPassword(`\u0000${username}`, "password123")).toBeNull();
    expect(await store.users.verifyPassword("\u0000", "")).toBeNull();
  });

  it("verifyPassword does not send a NUL username to SQL", async () => {
    const { store, username } = await withUser();
    const query = vi.spyOn(store.db, "query");
    try {
      expect(await store.users.verifyPassword(`${username}\u0000`, "x")).toBeNull();
      expect(query).not.toHaveBeenCalled();
    } finally {
      query.mockRestore();
    }
  });

  it("verifyPassword still checks a password that holds NUL (it never reaches SQL)", async () => {
    const { store, username } = await withUser();
    // Only inside the password: trailing NUL bytes are the same HMAC key to scrypt's PBKDF2 (zero padding).
    expect(await store.users.verifyPassword(username, "password\u0000123")).toBeNull();
    expect(await store.users.verifyPassword(username, "password123")).toMatchObject({ username });
  });

  it("get answers null for an id or username with NUL", async () => {
    const { store, username, user } = await withUser();
    expect(await store.users.get(`${user.id}\u0000`)).toBeNull();
    expect(await store.users.get(`${username}\u0000x`)).toBeNull();
    expect(await store.users.get(user.id)).toEqual(user);
  });

  it.each([
    ["username", { username: "nul\u0000user", displayName: "N" }],
    ["displayName", { displayName: "Nu\u0000l" }],
    ["email", { displayName: "N", email: "a\u0000@example.com" }],
  ])("create refuses NUL in %s with INVALID_INPUT naming the field", async (field, patch) => {
    const store = await setup();
    const input = { ...{ username: unique("nul"), password: "password123", displayName: "N" }, ...patch };
    await expect(store.users.create(input)).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining(field) });
  });
});

describeStores("text fields and NUL bytes", ({ setup }) => {
  it("roles and groups refuse NUL in names and descriptions with INVALID_INPUT", async () => {
    const store = await setup();
    await expect(store.roles.create({ slug: unique("r"), name: "Ro\u0000le", permissions: [] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(store.groups.create({ slug: unique("g"), name: "G", description: "d\u0000", roles: [] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(store.groups.create({ slug: unique("g"), name: "G\u0000", roles: [] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
