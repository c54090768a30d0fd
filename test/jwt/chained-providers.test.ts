import { afterEach, describe, expect, it, vi } from "vitest";
import { createSecurity, type Authenticator } from "gatehouse";
import { jwtAuthenticator, presets } from "gatehouse/jwt";
import { AUDIENCE, makeKey, sign, startJwksServer, type JwksServer } from "./helpers.js";

const servers: JwksServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ISSUER_A = "https://a.idp.test/";
const ISSUER_B = "https://b.idp.test/";

describe("two identity providers chained", () => {
  async function setup() {
    const keyA = await makeKey("ES256");
    const keyB = await makeKey("RS256");
    const server = await startJwksServer([keyB.jwk]);
    servers.push(server);
    const a = vi.fn(jwtAuthenticator({ issuer: ISSUER_A, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [keyA.jwk] } }));
    const b = vi.fn(jwtAuthenticator({ issuer: ISSUER_B, audience: AUDIENCE, algorithms: ["RS256"], jwksUrl: server.url }));
    const security = createSecurity({ authenticators: [a as Authenticator, b as Authenticator] });
    return { keyA, keyB, server, a, b, security };
  }

  it("accepts each provider's token through its own authenticator", async () => {
    const { keyA, keyB, server, a, b, security } = await setup();
    const fromA = await security.authenticate({ token: await sign(keyA, { iss: ISSUER_A, sub: "alice" }) });
    expect(fromA.identity?.id).toBe("alice");
    expect(b).not.toHaveBeenCalled();
    // Routing by iss happens before any key is needed, so A never looks at B's keys.
    expect(server.fetches()).toBe(0);
    const fromB = await security.authenticate({ token: await sign(keyB, { iss: ISSUER_B, sub: "bob" }) });
    expect(fromB.identity?.id).toBe("bob");
    await expect(a.mock.results[1]!.value).resolves.toBeNull();
  });

  it("refuses a token naming one provider but signed by the other's key", async () => {
    const { keyA, keyB, security } = await setup();
    // B's issuer, A's key and kid: B checks it against B's keys and refuses.
    await expect(security.authenticate({ token: await sign(keyA, { iss: ISSUER_B }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    // A's issuer, B's RS256 key: A's allowlist refuses the algorithm before any key is used.
    await expect(security.authenticate({ token: await sign(keyB, { iss: ISSUER_A }) })).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
      message: "Token algorithm not allowed.",
    });
  });

  it("a provider's failed check stops the chain: the next provider never tries", async () => {
    const { keyA, b, security } = await setup();
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign(keyA, { iss: ISSUER_A, iat: now - 600, exp: now - 300 });
    await expect(security.authenticate({ token: expired })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token expired." });
    await expect(security.authenticate({ token: await sign(keyA, { iss: ISSUER_A, aud: "other-api" }) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(b).not.toHaveBeenCalled();
  });

  it("refuses a token of an issuer nobody serves, and one without an issuer, as INVALID_CREDENTIALS (never anonymous)", async () => {
    const { keyA, security } = await setup();
    for (const iss of ["https://unknown.idp.test/", undefined]) {
      await expect(security.authenticate({ token: await sign(keyA, { iss }) })).rejects.toMatchObject({
        code: "INVALID_CREDENTIALS",
        message: "Credentials not accepted.",
      });
    }
  });

  it("still treats a request without a token as anonymous", async () => {
    const { security } = await setup();
    await expect(security.authenticate({})).resolves.toMatchObject({ identity: null, isAuthenticated: false });
  });

  it("routes a malformed token to nobody: the first authenticator refuses it", async () => {
    const { b, security } = await setup();
    await expect(security.authenticate({ token: "not.a.jwt!" })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Malformed token." });
    expect(b).not.toHaveBeenCalled();
  });
});

describe("Cognito preset: access and ID tokens", () => {
  const REGION = "eu-west-1";
  const POOL = "eu-west-1_AbC123";
  const CLIENT = "client-123";
  const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;

  async function setup(tokenUse?: "access" | "id" | Array<"access" | "id">) {
    const key = await makeKey("RS256");
    const server = await startJwksServer([key.jwk]);
    servers.push(server);
    // The preset's JWKS URL points at AWS; tests serve the same key set locally.
    const authenticate = jwtAuthenticator({ ...presets.cognito({ region: REGION, userPoolId: POOL, clientId: CLIENT, ...(tokenUse ? { tokenUse } : {}) }), jwksUrl: server.url });
    const access = (claims: Record<string, unknown> = {}) =>
      sign(key, { iss: ISSUER, aud: undefined, token_use: "access", client_id: CLIENT, username: "ada", scope: "aws.cognito.signin.user.admin", "cognito:groups": ["editors"], ...claims });
    const id = (claims: Record<string, unknown> = {}) => sign(key, { iss: ISSUER, aud: CLIENT, token_use: "id", "cognito:username": "ada", email: "ada@example.com", ...claims });
    return { authenticate, access, id };
  }

  it("accepts an access token (client_id, no aud) and maps groups and username", async () => {
    const { authenticate, access } = await setup();
    await expect(authenticate({ token: await access() })).resolves.toMatchObject({ id: "user-1", roles: ["editors"], displayName: "ada" });
  });

  it("refuses an ID token unless the API accepts them", async () => {
    const { authenticate, id } = await setup();
    await expect(authenticate({ token: await id() })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token audience not accepted." });
  });

  it("accepts an ID token (aud) with tokenUse: [\"access\", \"id\"], and access tokens still", async () => {
    const { authenticate, id, access } = await setup(["access", "id"]);
    await expect(authenticate({ token: await id() })).resolves.toMatchObject({ id: "user-1", displayName: "ada@example.com" });
    await expect(authenticate({ token: await access() })).resolves.toMatchObject({ id: "user-1" });
  });

  it.each<[string, Record<string, unknown>]>([
    ["another app client", { client_id: "other-client" }],
    ["no client_id", { client_id: undefined }],
    ["client_id not a string", { client_id: [CLIENT] }],
    ["the right client in aud but not in client_id", { client_id: undefined, aud: CLIENT }],
    ["no token_use", { token_use: undefined }],
    ["a token_use Cognito does not issue for APIs", { token_use: "refresh" }],
  ])("refuses an access token with %s", async (_name, claims) => {
    const { authenticate, access } = await setup();
    await expect(authenticate({ token: await access(claims) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it.each<[string, Record<string, unknown>]>([
    ["another app client in aud", { aud: "other-client" }],
    ["no aud, the client in client_id", { aud: undefined, client_id: CLIENT }],
  ])("refuses an ID token with %s", async (_name, claims) => {
    const { authenticate, id } = await setup(["access", "id"]);
    await expect(authenticate({ token: await id(claims) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token audience not accepted." });
  });

  it("tokenUse narrows the accepted kind", async () => {
    const accessOnly = await setup("access");
    await expect(accessOnly.authenticate({ token: await accessOnly.access() })).resolves.toMatchObject({ id: "user-1" });
    await expect(accessOnly.authenticate({ token: await accessOnly.id() })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    const idOnly = await setup("id");
    await expect(idOnly.authenticate({ token: await idOnly.id() })).resolves.toMatchObject({ id: "user-1" });
    await expect(idOnly.authenticate({ token: await idOnly.access() })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("passes on another pool's token, so a second pool can be chained", async () => {
    const { authenticate, access } = await setup();
    await expect(authenticate({ token: await access({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Other9` }) })).resolves.toBeNull();
  });
});

describe("audienceCheck", () => {
  it("refuses when it returns anything but true or throws, and runs with audience when both are set", async () => {
    const key = await makeKey("ES256");
    const make = (audienceCheck: (claims: Record<string, unknown>) => boolean, audience?: string) =>
      jwtAuthenticator({ issuer: "https://issuer.test/", algorithms: ["ES256"], jwks: { keys: [key.jwk] }, audienceCheck, ...(audience ? { audience } : {}) });
    const token = await sign(key, { tenant: "t1" });
    await expect(make((c) => c.tenant === "t1")({ token })).resolves.toMatchObject({ id: "user-1" });
    await expect(make(() => "yes" as unknown as boolean)({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(make(() => { throw new Error("boom"); })({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token audience not accepted." });
    await expect(make(() => true, "https://other-api.test")({ token })).rejects.toMatchObject({ message: "Token audience not accepted." });
    await expect(make(() => true, AUDIENCE)({ token })).resolves.toMatchObject({ id: "user-1" });
  });

  it("must be a function", () => {
    expect(() => jwtAuthenticator({ issuer: "https://i.test/", algorithms: ["ES256"], jwks: { keys: [] }, audienceCheck: "aud" as never })).toThrow(TypeError);
  });
});

describe("idPrefix: the same sub at two providers is two people", () => {
  it("prefixes every identity id, with the default and with a preset's mapping, and the cache keeps the prefix", async () => {
    const keyA = await makeKey("ES256");
    const keyB = await makeKey("ES256");
    const a = jwtAuthenticator({ issuer: ISSUER_A, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [keyA.jwk] }, idPrefix: "a|" });
    const mapClaims = (claims: { sub?: string }) => ({ id: claims.sub!, type: "user" as const, roles: ["reader"] });
    const b = jwtAuthenticator({ issuer: ISSUER_B, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [keyB.jwk] }, mapClaims, idPrefix: "b|" });
    const security = createSecurity({ authenticators: [a, b] });
    const tokenA = await sign(keyA, { iss: ISSUER_A, sub: "same" });
    const tokenB = await sign(keyB, { iss: ISSUER_B, sub: "same" });
    for (let round = 0; round < 2; round++) {
      // The second round is served by each authenticator's token cache.
      expect((await security.authenticate({ token: tokenA })).identity?.id).toBe("a|same");
      const fromB = (await security.authenticate({ token: tokenB })).identity;
      expect(fromB).toMatchObject({ id: "b|same", roles: ["reader"] });
    }
  });

  it("leaves the mapping's own object alone, and refuses a prefix that is not a string", async () => {
    const key = await makeKey("ES256");
    const shared = { id: "x", type: "user" as const, roles: [] };
    const auth = jwtAuthenticator({ issuer: ISSUER_A, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [key.jwk] }, mapClaims: () => shared, idPrefix: "p|" });
    expect((await auth({ token: await sign(key, { iss: ISSUER_A }) }))?.id).toBe("p|x");
    expect(shared.id).toBe("x");
    expect(() => jwtAuthenticator({ issuer: ISSUER_A, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [key.jwk] }, idPrefix: 7 as never })).toThrow(
      /idPrefix` must be a string/,
    );
  });
});
