import { expect, it, vi } from "vitest";
import { InvalidCredentialsError, type Authenticator, type Credentials, type Identity } from "gatehouse";
import { apiKeyAuthenticator } from "gatehouse/http";
import { affectsIdentity, revocationGuard, storeAuthorizer, watchIdentity, type Store } from "gatehouse/store";
import { describeStores, unique } from "./helpers.js";

/** A compact JWT-shaped token carrying `iat` (the guard reads it only after the inner authenticator accepted it). */
function tokenWith(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part(payload)}.sig`;
}

/** Accepts every token whose payload has a `sub`, as identity `sub`. */
const acceptAll: Authenticator = async (credentials: Credentials) => {
  if (credentials.token === undefined) return null;
  const sub = JSON.parse(Buffer.from(credentials.token.split(".")[1]!, "base64url").toString()).sub as string;
  return { id: sub, type: "user" };
};

describeStores("session revocation", ({ setup, second, backend }) => {
  it("revokeSessions records a time that only moves forward; sessionsRevokedAt reads it", async () => {
    const store = await setup();
    const user = unique("user");
    expect(await store.sessionsRevokedAt(user)).toBeNull();
    const first = await store.revokeSessions(user);
    expect(first).toBeInstanceOf(Date);
    expect((await store.sessionsRevokedAt(user))!.getTime()).toBe(first.getTime());
    const again = await store.revokeSessions(user);
    expect(again.getTime()).toBeGreaterThanOrEqual(first.getTime());
    // Unusable ids have no revocation rather than failing the query.
    expect(await store.sessionsRevokedAt("")).toBeNull();
    expect(await store.sessionsRevokedAt("a\u0000b")).toBeNull();
  });

  it("refuses bad ids with INVALID_INPUT and writes nothing", async () => {
    const store = await setup();
    for (const bad of ["", "   ", "x".repeat(501), "a\u0000b", 42, null]) {
      await expect(store.revokeSessions(bad as string)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    }
  });

  it("announces a session change for that identity", async () => {
    const store = await setup();
    const user = unique("user");
    const seen: unknown[] = [];
    const off = store.onChange((e) => seen.push(e));
    await store.revokeSessions(user);
    off();
    expect(seen).toContainEqual({ kind: "session", id: user });
  });

  it("a revocation leaves cached permissions alone (it changes no permission)", async () => {
    const store = await setup();
    const user = unique("user");
    const role = unique("role");
    await store.roles.create({ slug: role, name: "R", permissions: [{ name: "p" }] });
    await store.assignments.assign(user, { roles: [role] });
    const authorize = storeAuthorizer(store, { ttlMs: 600_000 });
    expect(await authorize({ id: user })).toEqual([{ name: "p" }]);
    // Behind the store's back: only a reload would see it.
    await store.db.query("UPDATE gatehouse_roles SET permissions = '[]'::jsonb WHERE slug = $1", [role]);
    await store.revokeSessions(user);
    expect(await authorize({ id: user })).toEqual([{ name: "p" }]);
    authorize.dispose();
  });

  it("revocationGuard refuses tokens issued at or before the revocation's second and accepts later ones", async () => {
    const store = await setup();
    const user = unique("user");
    const guard = revocationGuard(store, acceptAll);
    const before = tokenWith({ sub: user, iat: Math.floor(Date.now() / 1000) - 60 });
    expect(await guard({ token: before })).toEqual({ id: user, type: "user" });

    const at = Math.floor((await store.revokeSessions(user)).getTime() / 1000);
    await expect(guard({ token: before })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(guard({ token: tokenWith({ sub: user, iat: at }) })).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(await guard({ token: tokenWith({ sub: user, iat: at + 1 }) })).toEqual({ id: user, type: "user" });
    // Without a readable iat, a revoked identity's credential cannot be shown to be newer: refused.
    await expect(guard({ token: tokenWith({ sub: user }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(guard({ token: tokenWith({ sub: user, iat: "soon" }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    // Other identities are not touched, even with old tokens or none.
    const other = unique("user");
    expect(await guard({ token: tokenWith({ sub: other }) })).toEqual({ id: other, type: "user" });
    guard.dispose();
  });

  it("passes through null, and the inner authenticator's errors, unchanged", async () => {
    const store = await setup();
    const guard = revocationGuard(store, acceptAll);
    expect(await guard({})).toBeNull();
    const failing = revocationGuard(store, async () => {
      throw new InvalidCredentialsError("Token expired.");
    });
    await expect(failing({ token: "x" })).rejects.toThrow("Token expired.");
    guard.dispose();
    failing.dispose();
  });

  it("fails closed when the store cannot answer", async () => {
    const store = await setup();
    const broken: Store = { ...store, sessionsRevokedAt: () => Promise.reject(new Error("connection refused")) };
    const onStoreError = vi.fn();
    const guard = revocationGuard(broken, acceptAll, { onStoreError });
    const error = await guard({ token: tokenWith({ sub: unique("u"), iat: 1 }) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(onStoreError).toHaveBeenCalledOnce();
    expect(JSON.stringify(error)).not.toContain("connection refused");
    guard.dispose();
  });

  it("caches the revocation time and drops it when a revocation is announced", async () => {
    const store = await setup();
    const user = unique("user");
    const spy = vi.fn((id: string) => store.sessionsRevokedAt(id));
    const guard = revocationGuard({ ...store, sessionsRevokedAt: spy }, acceptAll, { ttlMs: 600_000 });
    const token = tokenWith({ sub: user, iat: Math.floor(Date.now() / 1000) - 5 });
    await guard({ token });
    await guard({ token });
    expect(spy).toHaveBeenCalledTimes(1);
    await store.revokeSessions(user);
    await expect(guard({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(spy).toHaveBeenCalledTimes(2);
    guard.dispose();
  });

  it("honours a custom issuedAt and rejects bad options", async () => {
    const store = await setup();
    const user = unique("user");
    await store.revokeSessions(user);
    const later = Date.now() / 1000 + 10;
    const guard = revocationGuard(store, async () => ({ id: user }), { issuedAt: () => later });
    expect(await guard({})).toEqual({ id: user });
    guard.dispose();
    expect(() => revocationGuard({} as Store, acceptAll)).toThrow(TypeError);
    expect(() => revocationGuard(store, "no" as unknown as Authenticator)).toThrow(TypeError);
    expect(() => revocationGuard(store, acceptAll, { ttlMs: -1 })).toThrow(TypeError);
    expect(() => revocationGuard(store, acceptAll, { maxEntries: 0 })).toThrow(TypeError);
    expect(() => revocationGuard(store, acceptAll, { issuedAt: 5 as never })).toThrow(TypeError);
    expect(() => revocationGuard(store, acceptAll, { onStoreError: "log" as never })).toThrow(TypeError);
  });

  it("watchIdentity reports the changes that may alter one identity's access", async () => {
    const store = await setup();
    const user = unique("user");
    const role = unique("role");
    const calls: string[] = [];
    const stop = watchIdentity(store, { id: user }, () => calls.push("changed"));
    await store.revokeSessions(unique("someone-else"));
    expect(calls).toEqual([]);
    await store.roles.create({ slug: role, name: "R", permissions: [] });
    await store.assignments.assign(user, { roles: [role] });
    await store.revokeSessions(user);
    expect(calls).toHaveLength(3);
    stop();
    await store.revokeSessions(user);
    expect(calls).toHaveLength(3);
    const anonymous = watchIdentity(store, null, () => calls.push("anonymous"));
    await store.roles.update(role, { permissions: [{ name: "x" }] });
    anonymous();
    expect(calls).toHaveLength(3);
    expect(() => watchIdentity({} as Store, null, () => undefined)).toThrow(TypeError);
    expect(() => watchIdentity(store, null, 1 as never)).toThrow(TypeError);
  });

  it("affectsIdentity: own assignment, session and key; any role or group; gaps", () => {
    const user: Identity = { id: "u1" };
    const key: Identity = { id: "u1", type: "apiKey", keyId: "k1" };
    expect(affectsIdentity({ kind: "assignment", id: "u2" }, user)).toBe(false);
    expect(affectsIdentity({ kind: "assignment", id: "u1" }, user)).toBe(true);
    expect(affectsIdentity({ kind: "session", id: "u2" }, user)).toBe(false);
    expect(affectsIdentity({ kind: "role", id: "any" }, user)).toBe(true);
    expect(affectsIdentity({ kind: "group", id: "any" }, user)).toBe(true);
    expect(affectsIdentity({ kind: "apiKey", id: "k1" }, user)).toBe(false);
    expect(affectsIdentity({ kind: "apiKey", id: "k1" }, key)).toBe(true);
    expect(affectsIdentity({ kind: "apiKey", id: "k2" }, key)).toBe(false);
    expect(affectsIdentity({ kind: "user", id: "*" }, user)).toBe(true);
  });

  it.skipIf(backend !== "postgres")("a revocation on one node refuses the token on another within a second", async () => {
    const store = await setup();
    const other = await second();
    const guard = revocationGuard(other, acceptAll, { ttlMs: 600_000 });
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const user = unique("user");
      const token = tokenWith({ sub: user, iat: Math.floor(Date.now() / 1000) - 5 });
      expect(await guard({ token })).toMatchObject({ id: user }); // cached as "never revoked" on the other node
      const start = performance.now();
      await store.revokeSessions(user);
      let refused = false;
      while (!refused && performance.now() - start < 1000) {
        refused = await guard({ token }).then(() => false, (e: { code?: string }) => e.code === "INVALID_CREDENTIALS");
        if (!refused) await new Promise((r) => setTimeout(r, 5));
      }
      expect(refused).toBe(true);
      latencies.push(performance.now() - start);
    }
    latencies.sort((a, b) => a - b);
    console.log(`[store] revocation refused on the other node after median ${latencies[2]!.toFixed(1)} ms, max ${latencies[4]!.toFixed(1)} ms (n=5)`);
    guard.dispose();
  });

  it.skipIf(backend !== "postgres")("a revoked API key is refused on another node at once", async () => {
    const store = await setup();
    const other = await second();
    const authenticate = apiKeyAuthenticator({ lookup: (id) => other.apiKeys.lookup(id) });
    const created = await store.apiKeys.create({ name: "ci", ownerId: unique("svc") });
    expect(await authenticate({ apiKey: created.key })).toMatchObject({ type: "apiKey", keyId: created.id });
    await store.apiKeys.revoke(created.id);
    // The authenticator looks the key up on every request: nothing to invalidate.
    await expect(authenticate({ apiKey: created.key })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });
});
