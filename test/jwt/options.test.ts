import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { defaultMapClaims, jwtAuthenticator, type JwtAuthenticatorOptions } from "gatehouse/jwt";
import { AUDIENCE, ISSUER, makeKey, sign } from "./helpers.js";

const SECRET = "0123456789abcdef0123456789abcdef-secret";
const base = (o: Partial<JwtAuthenticatorOptions>) => ({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["RS256"], jwksUrl: "https://idp.test/jwks", ...o }) as JwtAuthenticatorOptions;

describe("jwtAuthenticator configuration", () => {
  it.each<[string, Partial<JwtAuthenticatorOptions>, RegExp]>([
    ["missing issuer", { issuer: undefined as never }, /issuer/],
    ["empty issuer list", { issuer: [] }, /issuer/],
    ["missing audience", { audience: undefined }, /audience/],
    ["empty algorithms", { algorithms: [] }, /algorithms/],
    ["alg none", { algorithms: ["none"] }, /none/],
    ["alg NONE", { algorithms: ["RS256", "NONE"] }, /none/],
    ["unknown alg", { algorithms: ["RS1"] }, /unsupported/],
    ["mixed HS and RS", { algorithms: ["RS256", "HS256"] }, /mix/],
    ["no key source", { jwksUrl: undefined }, /exactly one key source/],
    ["two key sources", { jwks: { keys: [] } }, /exactly one key source/],
    ["secret with RS256", { jwksUrl: undefined, secret: SECRET }, /HS\* algorithms/],
    ["HS256 with JWKS", { algorithms: ["HS256"] }, /need `secret`/],
    ["short secret", { algorithms: ["HS256"], jwksUrl: undefined, secret: "short" }, /32 bytes/],
    ["http JWKS off localhost", { jwksUrl: "http://idp.test/jwks" }, /https/],
    ["relative JWKS url", { jwksUrl: "/jwks" }, /absolute/],
    ["private key in jwks", { jwksUrl: undefined, jwks: { keys: [{ kty: "EC", d: "x" }] } }, /public keys only/],
    ["private PEM", { jwksUrl: undefined, publicKey: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----" }, /PEM/],
    ["private JWK", { jwksUrl: undefined, publicKey: { kty: "EC", d: "x" } }, /public JWK/],
    ["symmetric JWK", { jwksUrl: undefined, publicKey: { kty: "oct", k: "x" } }, /public JWK/],
    ["clock tolerance too big", { clockToleranceSec: 301 }, /clockToleranceSec/],
    ["negative clock tolerance", { clockToleranceSec: -1 }, /clockToleranceSec/],
    ["bad maxTokenAgeSec", { maxTokenAgeSec: 0 }, /maxTokenAgeSec/],
    ["bad cooldown", { jwksCooldownMs: -5 }, /jwksCooldownMs/],
    ["mapClaims not a function", { mapClaims: "x" as never }, /mapClaims/],
  ])("%s → TypeError", (_name, override, message) => {
    expect(() => jwtAuthenticator(base(override))).toThrow(TypeError);
    expect(() => jwtAuthenticator(base(override))).toThrow(message);
  });

  it("accepts http JWKS on localhost and does not mutate the caller's options", () => {
    const options = base({ jwksUrl: "http://127.0.0.1:1/jwks", requiredClaims: ["sub"], maxTokenAgeSec: 60 });
    const copy = structuredClone({ ...options });
    expect(typeof jwtAuthenticator(options)).toBe("function");
    expect(options.requiredClaims).toEqual(copy.requiredClaims);
  });
});

describe("jwtAuthenticator key sources", () => {
  it("verifies HS256 with a secret", async () => {
    const authenticate = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], secret: SECRET });
    const token = await new SignJWT({ sub: "svc", iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(SECRET));
    await expect(authenticate({ token })).resolves.toMatchObject({ id: "svc" });
    const forged = await new SignJWT({ sub: "svc", iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(`${SECRET}x`));
    await expect(authenticate({ token: forged })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("verifies with a local JWKS", async () => {
    const key = await makeKey("EdDSA");
    const authenticate = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["EdDSA"], jwks: { keys: [key.jwk] } });
    await expect(authenticate({ token: await sign(key) })).resolves.toMatchObject({ id: "user-1" });
    await expect(authenticate({ token: await sign(await makeKey("EdDSA")) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it.each(["pem", "jwk", "keyObject"] as const)("verifies with a public key given as %s, for several algorithms", async (form) => {
    const { privateKey } = await generateKeyPair("PS256", { extractable: true });
    const rs = await makeKey("RS256");
    const publicKeyOption =
      form === "pem" ? rs.pem : form === "jwk" ? { ...(await exportJWK(rs.publicKey)) } : (await import("node:crypto")).createPublicKey(rs.pem);
    const authenticate = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["RS256", "PS256"], publicKey: publicKeyOption });
    await expect(authenticate({ token: await sign(rs, {}, { kid: null }) })).resolves.toMatchObject({ id: "user-1" });
    const other = await new SignJWT({ sub: "x", iss: ISSUER, aud: AUDIENCE }).setProtectedHeader({ alg: "PS256" }).setExpirationTime("5m").sign(privateKey);
    await expect(authenticate({ token: other })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("rejects HS256 signed with the PEM when configured with that PEM (algorithm confusion)", async () => {
    const rs = await makeKey("RS256");
    const authenticate = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["RS256"], publicKey: rs.pem });
    const token = await new SignJWT({ sub: "admin", iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(rs.pem));
    await expect(authenticate({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token algorithm not allowed." });
  });
});

describe("jwtAuthenticator claims", () => {
  async function setup(extra: Partial<JwtAuthenticatorOptions> = {}) {
    const key = await makeKey("ES256");
    const now = new Date("2030-01-01T00:00:00Z");
    const authenticate = jwtAuthenticator({ issuer: [ISSUER, "https://b.test/"], audience: [AUDIENCE], algorithms: ["ES256"], jwks: { keys: [key.jwk] }, currentDate: () => now, ...extra });
    const at = Math.floor(now.getTime() / 1000);
    return { key, authenticate, at };
  }

  it("uses the injected clock and the clock tolerance", async () => {
    const { key, authenticate, at } = await setup({ clockToleranceSec: 30 });
    await expect(authenticate({ token: await sign(key, { iat: at - 100, exp: at - 10 }) })).resolves.toMatchObject({ id: "user-1" });
    await expect(authenticate({ token: await sign(key, { iat: at - 100, exp: at - 60 }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(authenticate({ token: await sign(key, { iat: at, exp: at + 60, nbf: at + 20 }) })).resolves.toMatchObject({ id: "user-1" });
  });

  it("accepts any listed issuer", async () => {
    const { key, authenticate, at } = await setup();
    await expect(authenticate({ token: await sign(key, { iss: "https://b.test/", iat: at, exp: at + 60 }) })).resolves.toMatchObject({ id: "user-1" });
  });

  it("enforces maxTokenAgeSec and requires iat for it", async () => {
    const { key, authenticate, at } = await setup({ maxTokenAgeSec: 60 });
    await expect(authenticate({ token: await sign(key, { iat: at - 120, exp: at + 60 }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token is too old." });
    await expect(authenticate({ token: await sign(key, { iat: undefined, exp: at + 60 }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("requires exp by default", async () => {
    const { key, authenticate } = await setup();
    await expect(authenticate({ token: await sign(key, { exp: undefined }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("rejects a token whose claims map to nobody, or whose mapper throws", async () => {
    const key = await makeKey("ES256");
    const make = (mapClaims: JwtAuthenticatorOptions["mapClaims"]) => jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [key.jwk] }, mapClaims });
    const token = await sign(key);
    await expect(make(() => null)({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(make(() => ({ id: "" }))({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(make(() => { throw new Error("boom"); })({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(make((c) => ({ id: `x:${c.sub}` }))({ token })).resolves.toEqual({ id: "x:user-1" });
  });

  it("checks azp against authorizedParties when audience is not used", async () => {
    const key = await makeKey("ES256");
    const authenticate = jwtAuthenticator({ issuer: ISSUER, authorizedParties: ["https://app.test"], algorithms: ["ES256"], jwks: { keys: [key.jwk] } });
    await expect(authenticate({ token: await sign(key, { aud: undefined, azp: "https://app.test" }) })).resolves.toMatchObject({ id: "user-1" });
    await expect(authenticate({ token: await sign(key, { aud: undefined, azp: "https://evil.test" }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(authenticate({ token: await sign(key, { aud: undefined }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("defaultMapClaims needs a sub", () => {
    expect(defaultMapClaims({})).toBeNull();
    expect(defaultMapClaims({ sub: "a", roles: "admin" })).toEqual({ id: "a", type: "user", roles: [], claims: { sub: "a", roles: "admin" } });
  });
});
