import { describe, expect, it, vi } from "vitest";
import { createSecurityContext } from "gatehouse";
import { jwtAuthenticator } from "gatehouse/jwt";
import { defaultMapClaims } from "gatehouse/jwt";
import { AUDIENCE, ISSUER, makeKey, sign } from "./helpers.js";

async function setup(tokenCache?: { maxEntries?: number; maxAgeMs?: number } | false) {
  const key = await makeKey("ES256");
  let now = new Date();
  const mapClaims = vi.fn(defaultMapClaims);
  const authenticate = jwtAuthenticator({
    issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [key.jwk] }, mapClaims, currentDate: () => now, tokenCache,
  });
  return { key, authenticate, mapClaims, setNow: (d: Date) => (now = d) };
}

describe("jwtAuthenticator: verified-token cache", () => {
  it("verifies a token once and reuses the identity for repeated requests", async () => {
    const { key, authenticate, mapClaims } = await setup();
    const token = await sign(key);
    const first = await authenticate({ token });
    const second = await authenticate({ token });
    expect(second).toEqual(first);
    expect(mapClaims).toHaveBeenCalledTimes(1);
    expect(Object.isFrozen(second)).toBe(true);
  });

  it("hands out one deeply frozen identity that contexts share without copying, leaving the mapped object alone", async () => {
    const { key, authenticate } = await setup();
    const mapped = { id: "u1", roles: ["reader"], profile: { team: "a" } };
    const custom = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [key.jwk] }, mapClaims: () => mapped });
    const token = await sign(key);
    const identity = (await custom({ token }))!;
    expect(await custom({ token })).toBe(identity);
    expect(identity).toEqual(mapped);
    expect(Object.isFrozen(mapped)).toBe(false);
    mapped.profile.team = "b";
    expect((identity.profile as { team: string }).team).toBe("a");
    expect(() => ((identity.roles as string[]).push("admin"))).toThrow(TypeError);
    expect(() => ((identity.profile as { team: string }).team = "b")).toThrow(TypeError);
    expect(createSecurityContext({ identity, permissions: [] }).identity).toBe(identity);
    // The default mapping shares the same way.
    const first = await authenticate({ token });
    expect(createSecurityContext({ identity: first, permissions: [] }).identity).toBe(first);
  });

  it("freezes the default mapping's identity, claims included, and contexts share it, with or without the cache", async () => {
    for (const tokenCache of [undefined, false] as const) {
      const key = await makeKey("ES256");
      const authenticate = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [key.jwk] }, tokenCache });
      const returned = (await authenticate({ token: await sign(key, { roles: ["reader"], profile: { team: "a" } }) }))!;
      // Without the cache the identity is frozen (copied) when the context is made.
      const identity = createSecurityContext({ identity: returned, permissions: [] }).identity!;
      expect(identity).toMatchObject({ id: "user-1", roles: ["reader"] });
      expect(() => (identity.roles as string[]).push("admin")).toThrow(TypeError);
      const claims = identity.claims as { roles: string[]; profile: { team: string } };
      expect(() => claims.roles.push("admin")).toThrow(TypeError);
      expect(() => (claims.profile.team = "b")).toThrow(TypeError);
      expect(createSecurityContext({ identity, permissions: [] }).identity).toBe(identity);
    }
  });

  it("re-checks exp on every hit: an expired token is refused even when cached", async () => {
    const { key, authenticate, setNow } = await setup();
    const token = await sign(key, { exp: Math.floor(Date.now() / 1000) + 60 });
    await authenticate({ token });
    setNow(new Date(Date.now() + 120_000));
    await expect(authenticate({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token expired." });
  });

  it("keys by the exact token: a tampered copy of a cached token is verified and refused", async () => {
    const { key, authenticate } = await setup();
    const token = await sign(key);
    await authenticate({ token });
    const [h, p, s] = token.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), sub: "admin" })).toString("base64url")}.${s}`;
    await expect(authenticate({ token: tampered })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("evicts the least recently used token beyond maxEntries, and can be turned off", async () => {
    const small = await setup({ maxEntries: 1 });
    const [a, b] = [await sign(small.key, { sub: "a" }), await sign(small.key, { sub: "b" })];
    await small.authenticate({ token: a });
    await small.authenticate({ token: b });
    await small.authenticate({ token: a });
    expect(small.mapClaims).toHaveBeenCalledTimes(3);
    const off = await setup(false);
    const token = await sign(off.key);
    await off.authenticate({ token });
    await off.authenticate({ token });
    expect(off.mapClaims).toHaveBeenCalledTimes(2);
  });

  it("rejects bad cache options at construction", async () => {
    const key = await makeKey("ES256");
    const base = { issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [key.jwk] } };
    expect(() => jwtAuthenticator({ ...base, tokenCache: { maxEntries: 0 } })).toThrow(TypeError);
    expect(() => jwtAuthenticator({ ...base, tokenCache: { maxAgeMs: -1 } })).toThrow(TypeError);
  });
});
