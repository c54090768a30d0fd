import { decodeJwt, SignJWT, type JWTPayload } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createSecurity, type Authenticator, type Credentials, type Security, type SecurityContext } from "gatehouse";
import { jwtAuthenticator } from "gatehouse/jwt";
import { syncAuthenticatorOf } from "../../src/core/sync-path.js";
import { viaNow, viaPromise } from "../support/auth-paths.js";
import { AUDIENCE, ISSUER, makeKey, sign, startJwksServer, type JwksServer } from "./helpers.js";

const OTHER_ISSUER = "https://other.test/";
const CUSTOM_ISSUER = "https://custom.test/";
const SECRET = "sync-path-secret-sync-path-secret!!";
const OTHER_SECRET = "another-secret-another-secret-another!";

type Outcome = { id: string | null } | { code: string; message: string };
const outcomeOf = (ctx: SecurityContext): Outcome => ({ id: ctx.identity?.id ?? null });

async function hs(claims: JWTPayload = {}, secret = SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: "user-1", iat: now, exp: now + 300, ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .sign(new TextEncoder().encode(secret));
}

/** Two JWT issuers chained, then a user's own function; a fresh pipeline per call so no cache is shared. */
function pipeline(): Security {
  const ours = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], secret: SECRET });
  const theirs = jwtAuthenticator({ issuer: OTHER_ISSUER, audience: AUDIENCE, algorithms: ["HS256"], secret: OTHER_SECRET });
  // A user's own function (no synchronous twin) for a third issuer, e.g. one that asks an introspection endpoint.
  const custom: Authenticator = async (c) => {
    const claims = c.token ? (decodeJwt(c.token) as { iss?: string; sub?: string }) : {};
    if (claims.iss !== CUSTOM_ISSUER) return null;
    if (claims.sub === "broken") throw new Error("introspection endpoint down");
    return { id: `custom-${claims.sub}` };
  };
  return createSecurity({ authenticators: [ours, theirs, custom] });
}

describe("jwtAuthenticator's synchronous path", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, () => Promise<Credentials>, boolean]> = [
    ["a valid token", async () => ({ token: await hs() }), true],
    ["an expired token", async () => ({ token: await hs({ iat: now() - 600, exp: now() - 300 }) }), true],
    ["a token of the chained issuer", async () => ({ token: await hs({ iss: OTHER_ISSUER, sub: "user-2" }, OTHER_SECRET) }), true],
    ["a forged signature", async () => ({ token: await hs({}, "forged-secret-forged-secret-forged!!") }), true],
    ["another issuer's name with our key", async () => ({ token: await hs({ iss: OTHER_ISSUER }) }), true],
    ["a malformed token", async () => ({ token: "not.a-token" }), true],
    ["a present but malformed Authorization header", async () => ({ malformed: ["authorization"] }) as Credentials, true],
    // The user's function always answers with a promise, so what reaches it waits.
    ["no credentials", async () => ({}), false],
    ["a token the user's function claims", async () => ({ token: await hs({ iss: CUSTOM_ISSUER }) }), false],
    ["a user's function throwing a plain Error", async () => ({ token: await hs({ iss: CUSTOM_ISSUER, sub: "broken" }) }), false],
    ["a token nobody claims", async () => ({ token: await hs({ iss: "https://nobody.test/" }) }), false],
  ];

  it.each(cases)("%s: the same outcome as authenticate", async (_label, credentialsOf, immediate) => {
    const credentials = await credentialsOf();
    const now = await viaNow(pipeline(), credentials, outcomeOf);
    expect(now.outcome).toEqual(await viaPromise(pipeline(), credentials, outcomeOf));
    expect(now.immediate).toBe(immediate);
  });

  it("a cached token: the same identity, at once", async () => {
    const token = await hs({ sub: "cached" });
    const a = pipeline();
    const b = pipeline();
    await viaNow(a, { token }, outcomeOf);
    await viaPromise(b, { token }, outcomeOf);
    expect(await viaNow(a, { token }, outcomeOf)).toEqual({ immediate: true, outcome: { id: "cached" } });
    expect(await viaPromise(b, { token }, outcomeOf)).toEqual({ id: "cached" });
  });

  it("the twin answers for the authenticator itself, with the same errors", async () => {
    const authenticate = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], secret: SECRET });
    const sync = syncAuthenticatorOf(authenticate)!;
    const token = await hs({ sub: "twin" });
    expect(sync({ token })).toMatchObject({ id: "twin" });
    const forged = await hs({}, "forged-secret-forged-secret-forged!!");
    expect(() => sync({ token: forged })).toThrow("Token signature invalid.");
    await expect(authenticate({ token: forged })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token signature invalid." });
  });
});

describe("jwtAuthenticator's synchronous path with a remote JWKS", () => {
  const servers: JwksServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function setup(extra: { jwksCooldownMs?: number } = {}) {
    const key = await makeKey("ES256");
    const server = await startJwksServer([key.jwk]);
    servers.push(server);
    // No token cache: every call below looks its key up.
    const jwt = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwksUrl: server.url, tokenCache: false, ...extra });
    return { key, server, security: createSecurity({ authenticators: [jwt] }) };
  }

  it("waits for the first fetch, then answers at once from the loaded set", async () => {
    const { key, server, security } = await setup();
    const first = await viaNow(security, { token: await sign(key, { sub: "a" }) }, outcomeOf);
    expect(first).toEqual({ immediate: false, outcome: { id: "a" } });
    await viaNow(security, { token: await sign(key, { sub: "b" }) }, outcomeOf);
    expect(await viaNow(security, { token: await sign(key, { sub: "c" }) }, outcomeOf)).toEqual({ immediate: true, outcome: { id: "c" } });
    expect(server.fetches()).toBe(1);
  });

  it("an unreachable JWKS: the same error as authenticate", async () => {
    const { key, server, security } = await setup();
    await server.close();
    const token = await sign(key);
    expect((await viaNow(security, { token }, outcomeOf)).outcome).toEqual({ code: "INVALID_CREDENTIALS", message: "Token signing keys are unavailable." });
    await expect(security.authenticate({ token })).rejects.toMatchObject({ message: "Token signing keys are unavailable." });
  });

  it("forgets remembered keys when the set is reloaded: a key rotated out is refused", async () => {
    const { key, server, security } = await setup({ jwksCooldownMs: 0 });
    for (const sub of ["a", "b", "c"]) await viaNow(security, { token: await sign(key, { sub }) }, outcomeOf);
    expect((await viaNow(security, { token: await sign(key, { sub: "d" }) }, outcomeOf)).immediate).toBe(true);
    const next = await makeKey("ES256");
    server.setKeys([next.jwk]);
    // An unknown kid makes jose fetch the set again; the old key is gone from it.
    expect((await viaNow(security, { token: await sign(next, { sub: "e" }) }, outcomeOf)).outcome).toEqual({ id: "e" });
    const old = await viaNow(security, { token: await sign(key, { sub: "f" }) }, outcomeOf);
    expect(old.outcome).toEqual({ code: "INVALID_CREDENTIALS", message: "Token signing key not found." });
  });
});
