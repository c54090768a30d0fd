import { createSecurity } from "gatehouse";
import { apiKeyAuthenticator, hashApiKeySecret } from "gatehouse/http";
import { storeAuthorizer } from "gatehouse/store";
import { expect, it } from "vitest";
import { describeStores, unique } from "./helpers.js";

describeStores("API keys", ({ setup }) => {
  async function withRole() {
    const store = await setup();
    const role = unique("svc");
    await store.roles.create({ slug: role, name: "Service", permissions: [{ name: "recipes.recipe", rwd: "r" }] });
    return { store, role, owner: unique("owner") };
  }

  it("create returns the key once; only its hash is stored", async () => {
    const { store, role, owner } = await withRole();
    const created = await store.apiKeys.create({ name: "CI", ownerId: owner, roles: [role] });
    expect(created).toMatchObject({ name: "CI", ownerId: owner, expiresAt: null });
    expect(created.key).toBe(`gh_${created.id}_${created.key.split("_")[2]}`);
    const { rows } = await store.db.query<Record<string, unknown>>("SELECT * FROM gatehouse_api_keys WHERE id = $1", [created.id]);
    expect(JSON.stringify(rows)).not.toContain(created.key.split("_")[2]);
    expect(rows[0]!.hash).toBe(hashApiKeySecret(created.key.split("_")[2]!));
  });

  it("works end to end with apiKeyAuthenticator and storeAuthorizer", async () => {
    const { store, role, owner } = await withRole();
    const created = await store.apiKeys.create({ name: "CI", ownerId: owner, roles: [role] });
    const authorize = storeAuthorizer(store);
    const security = createSecurity({
      authenticators: [apiKeyAuthenticator({ lookup: (id) => store.apiKeys.lookup(id) })],
      authorizers: [authorize],
    });
    const ctx = await security.authenticate({ apiKey: created.key });
    expect(ctx.identity).toMatchObject({ id: owner, type: "apiKey", keyId: created.id });
    expect(ctx.getPermissions("recipes.recipe")).toEqual([{ name: "recipes.recipe", rwd: "r" }]);
    const [, id, secret] = created.key.split("_");
    await expect(security.authenticate({ apiKey: `gh_${id}_${secret!.replace(/.$/, (c) => (c === "a" ? "b" : "a"))}` })).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
    });
    await store.apiKeys.revoke(created.id);
    await expect(security.authenticate({ apiKey: created.key })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    authorize.dispose();
  });

  it("lookup returns the record apiKeyAuthenticator needs", async () => {
    const { store, role, owner } = await withRole();
    const created = await store.apiKeys.create({ name: "CI", ownerId: owner, roles: [role] });
    const record = await store.apiKeys.lookup(created.id);
    expect(record).toEqual({
      id: created.id,
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      identity: { id: owner, type: "apiKey", keyId: created.id, displayName: "CI", roles: [role] },
      revoked: false,
    });
    expect(await store.apiKeys.lookup("nope")).toBeNull();
    expect(await store.apiKeys.lookup("")).toBeNull();
  });

  it("revoke marks the key revoked, once", async () => {
    const { store, owner } = await withRole();
    const { id } = await store.apiKeys.create({ name: "k", ownerId: owner, permissions: [{ name: "x" }] });
    expect(await store.apiKeys.revoke(id)).toBe(true);
    expect(await store.apiKeys.revoke(id)).toBe(false);
    expect(await store.apiKeys.revoke("unknown")).toBe(false);
    expect(await store.apiKeys.lookup(id)).toMatchObject({ revoked: true });
    expect((await store.apiKeys.list(owner))[0]!.revokedAt).toBeInstanceOf(Date);
  });

  it("keeps and reports the expiry", async () => {
    const { store, owner } = await withRole();
    const expiresAt = new Date("2030-01-01T00:00:00Z");
    const created = await store.apiKeys.create({ name: "k", ownerId: owner, expiresAt });
    expect(created.expiresAt).toEqual(expiresAt);
    expect((await store.apiKeys.lookup(created.id))!.expiresAt).toEqual(expiresAt);
  });

  it("list never exposes the hash or the key", async () => {
    const { store, role, owner } = await withRole();
    const a = await store.apiKeys.create({ name: "a", ownerId: owner, roles: [role] });
    await store.apiKeys.create({ name: "b", ownerId: owner, permissions: [{ name: "p" }] });
    await store.apiKeys.create({ name: "other", ownerId: unique("someone") });
    const mine = await store.apiKeys.list(owner);
    expect(mine.map((k) => k.name)).toEqual(["a", "b"]);
    expect(mine[0]).toEqual({
      id: a.id,
      name: "a",
      ownerId: owner,
      permissions: [],
      roles: [role],
      createdAt: a.createdAt,
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
    });
    const all = await store.apiKeys.list();
    expect(all.length).toBeGreaterThanOrEqual(3);
    const text = JSON.stringify(all);
    expect(text).not.toContain("sha256:");
    expect(text).not.toContain(a.key);
    for (const k of all) expect(Object.keys(k)).not.toContain("hash");
  });

  it("touch records last use without a change event", async () => {
    const { store, owner } = await withRole();
    const { id } = await store.apiKeys.create({ name: "k", ownerId: owner });
    const events: unknown[] = [];
    const off = store.onChange((e) => events.push(e));
    await store.apiKeys.touch(id);
    off();
    expect(events).toEqual([]);
    expect((await store.apiKeys.list(owner))[0]!.lastUsedAt).toBeInstanceOf(Date);
  });

  it("rejects bad input and unknown roles", async () => {
    const { store, owner } = await withRole();
    await expect(store.apiKeys.create({ name: "", ownerId: owner })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(store.apiKeys.create({ name: "k", ownerId: "" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(store.apiKeys.create({ name: "k", ownerId: owner, permissions: [{}] as never })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(store.apiKeys.create({ name: "k", ownerId: owner, expiresAt: new Date("x") })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(store.apiKeys.create({ name: "k", ownerId: owner, roles: ["ghost"] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await store.apiKeys.list(owner)).toEqual([]);
  });
});
