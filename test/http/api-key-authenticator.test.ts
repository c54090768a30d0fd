import { describe, expect, it } from "vitest";
import { createSecurity } from "gatehouse";
import { apiKeyAuthenticator, generateApiKey, getCredentials, type ApiKeyRecord } from "gatehouse/http";
import { syncAuthenticatorOf } from "../../src/core/sync-path.js";

const NOW = new Date("2030-01-01T00:00:00Z");

function setup(patch: Partial<ApiKeyRecord> = {}) {
  const k = generateApiKey();
  const lookups: string[] = [];
  const records = new Map<string, ApiKeyRecord>([[k.id, { id: k.id, hash: k.hash, identity: { id: "svc-1", roles: ["bot"] }, ...patch }]]);
  const authenticate = apiKeyAuthenticator({
    lookup: async (id) => {
      lookups.push(id);
      return records.get(id) ?? null;
    },
    currentDate: () => NOW,
  });
  return { k, authenticate, lookups };
}

describe("apiKeyAuthenticator", () => {
  it("authenticates a valid key", async () => {
    const { k, authenticate } = setup();
    await expect(authenticate({ apiKey: k.key })).resolves.toEqual({ type: "apiKey", id: "svc-1", roles: ["bot"] });
  });

  it("returns null without an API key", async () => {
    const { authenticate, lookups } = setup();
    await expect(authenticate({ token: "x" })).resolves.toBeNull();
    expect(lookups).toEqual([]);
  });

  it("accepts a future expiry given as a string", async () => {
    const { k, authenticate } = setup({ expiresAt: "2031-01-01T00:00:00Z" });
    await expect(authenticate({ apiKey: k.key })).resolves.toMatchObject({ id: "svc-1" });
  });

  it("rejects every bad key with the same generic message (no oracle)", async () => {
    const cases: Array<[string, Partial<ApiKeyRecord>, (key: string, id: string) => string]> = [
      ["malformed", {}, () => "not-a-key"],
      ["wrong prefix", {}, (key) => key.replace(/^gh_/, "xx_")],
      ["unknown id", {}, (key, id) => key.replace(id, "Zz".repeat(8))],
      ["wrong secret", {}, (key) => `${key.slice(0, -1)}${key.endsWith("a") ? "b" : "a"}`],
      ["revoked", { revoked: true }, (key) => key],
      ["expired", { expiresAt: new Date("2029-12-31T23:59:59Z") }, (key) => key],
      ["expires now", { expiresAt: NOW }, (key) => key],
      ["unparseable expiry", { expiresAt: "soon" }, (key) => key],
      ["record without identity id", { identity: { id: "" } }, (key) => key],
    ];
    for (const [name, patch, mutate] of cases) {
      const { k, authenticate } = setup(patch);
      const apiKey = mutate(k.key, k.id);
      const error = await authenticate({ apiKey }).then(() => null, (e: unknown) => e);
      expect(error, name).toMatchObject({ code: "INVALID_CREDENTIALS", message: "Invalid API key." });
      expect(JSON.stringify(error) + String(error), name).not.toContain(k.secret);
    }
  });

  it("looks up unknown ids and still compares a hash (constant work)", async () => {
    const { k, authenticate, lookups } = setup();
    await expect(authenticate({ apiKey: k.key.replace(k.id, "Unknown0Unknown0") })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(lookups).toEqual(["Unknown0Unknown0"]);
  });

  it("rejects a record whose id differs from the requested id", async () => {
    const k = generateApiKey();
    const authenticate = apiKeyAuthenticator({ lookup: async () => ({ id: "someone-else", hash: k.hash, identity: { id: "x" } }) });
    await expect(authenticate({ apiKey: k.key })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("fails closed when lookup throws", async () => {
    const k = generateApiKey();
    const authenticate = apiKeyAuthenticator({ lookup: async () => Promise.reject(new Error("db down")) });
    await expect(authenticate({ apiKey: k.key })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("rejects a present-but-malformed X-API-Key through createSecurity", async () => {
    const { authenticate } = setup();
    const security = createSecurity({ authenticators: [authenticate] });
    await expect(security.authenticate(getCredentials({ headers: { "x-api-key": " " } }))).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("works end to end from headers", async () => {
    const { k, authenticate } = setup();
    const security = createSecurity({ authenticators: [authenticate] });
    const ctx = await security.authenticate(getCredentials(new Request("http://x.test", { headers: { "X-API-Key": k.key } })));
    expect(ctx.identity?.id).toBe("svc-1");
  });

  it("throws TypeError for bad options", () => {
    expect(() => apiKeyAuthenticator({} as never)).toThrow(/lookup/);
    expect(() => apiKeyAuthenticator({ lookup: async () => null, prefix: "Bad" })).toThrow(/prefix/);
  });
});

describe("apiKeyAuthenticator's synchronous twin", () => {
  function twin(lookup: (id: string) => Promise<ApiKeyRecord | null>) {
    const authenticate = apiKeyAuthenticator({ lookup, currentDate: () => NOW });
    return { authenticate, sync: syncAuthenticatorOf(authenticate)! };
  }
  const k = generateApiKey();
  const record: ApiKeyRecord = { id: k.id, hash: k.hash, identity: { id: "svc-1" } };

  it("passes on at once without an API key, so a chained authenticator is not made to wait", () => {
    const { sync } = twin(async () => record);
    expect(sync({ token: "x" })).toBeNull();
    expect(() => sync({ malformed: ["x-api-key"] } as never)).toThrow("Invalid API key.");
  });

  it("waits only as long as lookup does, with the same results and errors", async () => {
    const { authenticate, sync } = twin(async (id) => (id === k.id ? record : null));
    const pending = sync({ apiKey: k.key });
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toEqual({ type: "apiKey", id: "svc-1" });
    const wrong = generateApiKey();
    await expect(sync({ apiKey: wrong.key })).rejects.toMatchObject({ message: "Invalid API key." });
    await expect(authenticate({ apiKey: wrong.key })).rejects.toMatchObject({ message: "Invalid API key." });
  });

  it("a lookup that throws at once or rejects: the same INVALID_CREDENTIALS either way", async () => {
    const failing = [
      () => {
        throw new Error("db down");
      },
      async () => {
        throw new Error("db down");
      },
    ] as Array<(id: string) => Promise<ApiKeyRecord | null>>;
    for (const lookup of failing) {
      const { authenticate, sync } = twin(lookup);
      await expect(Promise.resolve().then(() => sync({ apiKey: k.key }))).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "API key could not be verified." });
      await expect(authenticate({ apiKey: k.key })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "API key could not be verified." });
    }
  });
});
