import { expect, it } from "vitest";
import { createStore } from "gatehouse/store";
import { describeStores, unique } from "./helpers.js";

describeStores("users", ({ setup }) => {
  it("creates a user and verifies the password with scrypt", async () => {
    const store = await setup();
    const username = unique("Alice");
    const user = await store.users.create({ username, password: "correct horse", displayName: "Alice", email: "a@example.com" });
    expect(user).toEqual({ id: expect.any(String), username, displayName: "Alice", email: "a@example.com", createdAt: expect.any(Date) });
    expect(await store.users.verifyPassword(username, "correct horse")).toEqual(user);
    expect(await store.users.verifyPassword(username.toUpperCase(), "correct horse")).toEqual(user);
    expect(await store.users.get(user.id)).toEqual(user);
    expect(await store.users.get(username.toLowerCase())).toEqual(user);
    expect((await store.users.list()).map((u) => u.id)).toContain(user.id);
  });

  it("stores scrypt parameters and salt per row, never the password", async () => {
    const store = await setup();
    const username = unique("bob");
    await store.users.create({ username, password: "hunter2hunter2", displayName: "Bob" });
    const { rows } = await store.db.query<Record<string, unknown>>("SELECT * FROM gatehouse_users WHERE username = $1", [username]);
    expect(rows[0]).toMatchObject({ scrypt_n: 1024, scrypt_r: 8, scrypt_p: 1, scrypt_keylen: 32 });
    expect(JSON.stringify(rows)).not.toContain("hunter2");
  });

  it("a wrong password or unknown user gives null", async () => {
    const store = await setup();
    const username = unique("carol");
    await store.users.create({ username, password: "right password", displayName: "Carol" });
    expect(await store.users.verifyPassword(username, "wrong password")).toBeNull();
    expect(await store.users.verifyPassword(username, "")).toBeNull();
    expect(await store.users.verifyPassword(unique("ghost"), "right password")).toBeNull();
    expect(await store.users.get(unique("ghost"))).toBeNull();
  });

  it("never returns the hash", async () => {
    const store = await setup();
    const user = await store.users.create({ username: unique("dan"), password: "password123", displayName: "Dan" });
    const text = JSON.stringify([user, await store.users.list(), await store.users.get(user.id)]);
    expect(text).not.toMatch(/hash|salt|scrypt/);
  });

  it("rejects a taken username (case-insensitive) and bad input", async () => {
    const store = await setup();
    const username = unique("erin");
    await store.users.create({ username, password: "password123", displayName: "Erin" });
    await expect(store.users.create({ username: username.toUpperCase(), password: "password123", displayName: "E" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(store.users.create({ username: "has space", password: "password123", displayName: "X" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(store.users.create({ username: unique(), password: "short", displayName: "X" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(store.users.create({ username: unique(), password: "password123", displayName: "" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });
});

it("a password hashed with other parameters still verifies after they change", async () => {
  const store = await createStore({ scrypt: { N: 2048, r: 4, p: 1, keylen: 32 } });
  try {
    await store.users.create({ username: "old", password: "old password", displayName: "Old" });
    // Simulates raised parameters: the row keeps N=2048, r=4; new rows would use the new ones.
    const { rows } = await store.db.query<{ scrypt_n: number }>("SELECT scrypt_n FROM gatehouse_users WHERE username = 'old'");
    expect(rows[0]!.scrypt_n).toBe(2048);
    expect(await store.users.verifyPassword("old", "old password")).toMatchObject({ username: "old" });
  } finally {
    await store.close();
  }
});

it("rejects invalid scrypt parameters at construction", async () => {
  await expect(createStore({ scrypt: { N: 1000 } })).rejects.toThrow(TypeError);
  await expect(createStore({ scrypt: { r: 0 } })).rejects.toThrow(/scrypt\.r/);
  await expect(createStore({ scrypt: { keylen: 8 } })).rejects.toThrow(/keylen/);
});
