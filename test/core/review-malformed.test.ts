// `security.authenticate(getCredentials(request))` (the pattern getCredentials documents) refuses a
// present-but-unusable credential whatever authenticators run, exactly as authenticateRequest does:
// a malformed credential is never anonymous just because no authenticator of its kind is configured.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecurity } from "gatehouse";
import { apiKeyAuthenticator, authenticateRequest, getCredentials } from "gatehouse/http";
import { jwtAuthenticator } from "gatehouse/jwt";
import { viaNow, viaPromise } from "../support/auth-paths.js";

const SECRET = "a-shared-secret-of-at-least-thirty-two-bytes";
const jwtOnly = () =>
  createSecurity({ authenticators: [jwtAuthenticator({ issuer: "https://issuer.test/", audience: "https://api.test", algorithms: ["HS256"], secret: SECRET })] });
const apiKeysOnly = () => createSecurity({ authenticators: [apiKeyAuthenticator({ lookup: async () => null })] });
const userOwn = () => createSecurity({ authenticators: [async () => null] });
const outcomeOf = (ctx: { identity: { id: string } | null }) => ({ id: ctx.identity?.id ?? null });

describe("malformed credentials through security.authenticate", () => {
  it.each<[string, () => ReturnType<typeof createSecurity>, Record<string, string>]>([
    ["a malformed X-API-Key, JWT authenticator only", jwtOnly, { "x-api-key": "not a key" }],
    ["a bare Bearer, API-key authenticator only", apiKeysOnly, { authorization: "Bearer" }],
    ["a bare Bearer, a user's own authenticator", userOwn, { authorization: "Bearer" }],
    ["two Authorization headers, a user's own authenticator", userOwn, { authorization: "Bearer a, Bearer b" }],
  ])("%s: INVALID_CREDENTIALS on both paths, never anonymous", async (_name, make, headers) => {
    const credentials = getCredentials({ headers });
    expect(credentials.malformed?.length).toBe(1);
    const expected = { code: "INVALID_CREDENTIALS" };
    expect((await viaNow(make(), credentials, outcomeOf)).outcome).toMatchObject(expected);
    expect(await viaPromise(make(), credentials, outcomeOf)).toMatchObject(expected);
    await expect(authenticateRequest(make(), { headers })).rejects.toMatchObject(expected);
  });

  it("still treats a request without any credential as anonymous", async () => {
    for (const make of [jwtOnly, apiKeysOnly, userOwn]) {
      await expect(make().authenticate(getCredentials({ headers: { accept: "*/*" } }))).resolves.toMatchObject({ identity: null });
    }
  });

  it("a valid credential still wins in its own authenticator", async () => {
    const input = `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${Buffer.from(JSON.stringify({ iss: "https://issuer.test/", aud: "https://api.test", sub: "u1", exp: Math.floor(Date.now() / 1000) + 60 })).toString("base64url")}`;
    const token = `${input}.${createHmac("sha256", SECRET).update(input).digest("base64url")}`;
    await expect(jwtOnly().authenticate(getCredentials({ headers: { authorization: `Bearer ${token}` } }))).resolves.toMatchObject({ identity: { id: "u1" } });
  });
});
