import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createSecurity, InvalidCredentialsError } from "gatehouse";
import { jwtAuthenticator, type JwtAuthenticatorOptions } from "gatehouse/jwt";
import { AUDIENCE, b64url, ISSUER, makeKey, sign, startJwksServer, type JwksServer, type TestKey } from "./helpers.js";

const servers: JwksServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(alg = "ES256", extra: Partial<JwtAuthenticatorOptions> = {}) {
  const key = await makeKey(alg);
  const server = await startJwksServer([key.jwk]);
  servers.push(server);
  const authenticate = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: [alg], jwksUrl: server.url, ...extra });
  return { key, server, authenticate };
}

describe("jwtAuthenticator with a remote JWKS", () => {
  it.each(["RS256", "ES256", "EdDSA"])("accepts a valid %s token and maps its claims", async (alg) => {
    const { key, authenticate } = await setup(alg);
    const token = await sign(key, { name: "Ada", roles: ["admin", 7] });
    const identity = await authenticate({ token });
    expect(identity).toMatchObject({ id: "user-1", type: "user", displayName: "Ada", roles: ["admin"] });
    expect((identity!.claims as { iss: string }).iss).toBe(ISSUER);
  });

  it("returns null when there is no token", async () => {
    const { authenticate } = await setup();
    await expect(authenticate({})).resolves.toBeNull();
    await expect(authenticate({ apiKey: "gh_x_y" })).resolves.toBeNull();
  });

  it("rejects a present-but-malformed bearer flagged by getCredentials", async () => {
    const { authenticate } = await setup();
    await expect(authenticate({ malformed: ["authorization"] } as never)).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("uses displayName from email when there is no name", async () => {
    const { key, authenticate } = await setup();
    await expect(authenticate({ token: await sign(key, { email: "a@b.c" }) })).resolves.toMatchObject({ displayName: "a@b.c", roles: [] });
  });
});

describe("jwtAuthenticator rejects bad tokens with INVALID_CREDENTIALS", () => {
  async function cases() {
    const { key, server, authenticate } = await setup("RS256");
    const now = Math.floor(Date.now() / 1000);
    const valid = await sign(key);
    const [h, p, s] = valid.split(".") as [string, string, string];
    const stranger = await makeKey("RS256");
    const hs = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: "user-1", exp: now + 300 })
      .setProtectedHeader({ alg: "HS256", kid: key.kid })
      .sign(new TextEncoder().encode(key.pem));
    const tokens: Record<string, string> = {
      "alg none": `${b64url({ alg: "none" })}.${p}.`,
      "alg none with kid": `${b64url({ alg: "none", kid: key.kid })}.${p}.${s}`,
      "HS256 signed with the public key (algorithm confusion)": hs,
      "unknown kid": await sign(stranger),
      "key not in JWKS, claiming a known kid": await sign(stranger, {}, { kid: key.kid }),
      "no kid, key not in JWKS": await sign(stranger, {}, { kid: null }),
      expired: await sign(key, { iat: now - 3600, exp: now - 60 }),
      "not yet valid": await sign(key, { nbf: now + 600 }),
      "wrong aud": await sign(key, { aud: "https://other-api.test" }),
      "missing sub": await sign(key, { sub: undefined }),
      "tampered payload": `${h}.${b64url({ iss: ISSUER, aud: AUDIENCE, sub: "admin", exp: now + 300 })}.${s}`,
      "tampered header": `${b64url({ alg: "RS256", kid: key.kid, x: 1 })}.${p}.${s}`,
      "stripped signature": `${h}.${p}.`,
      "malformed: one part": "abc",
      "malformed: two parts": `${h}.${p}`,
      "malformed: four parts": `${valid}.x`,
      "malformed: bad base64": `${h}.${p}!.${s}`,
      "malformed: header is not JSON": `${b64url("not json")}.${p}.${s}`,
      "malformed: empty": "",
      "malformed: huge": `${h}.${"A".repeat(20_000)}.${s}`,
    };
    const otherIssuer = await sign(key, { iss: "https://evil.test/" });
    return { authenticate, tokens, server, otherIssuer };
  }

  it("rejects every case, with messages that never contain the token", async () => {
    const { authenticate, tokens } = await cases();
    for (const [name, token] of Object.entries(tokens)) {
      const error = await authenticate({ token }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(InvalidCredentialsError);
      expect(error, name).toMatchObject({ code: "INVALID_CREDENTIALS", status: 401 });
      const text = `${(error as Error).message} ${JSON.stringify(error)}`;
      for (const part of token.split(".").filter((x) => x.length > 8)) expect(text, name).not.toContain(part);
    }
  });

  it("gives safe, specific messages", async () => {
    const { authenticate, tokens } = await cases();
    await expect(authenticate({ token: tokens.expired! })).rejects.toThrow("Token expired.");
    await expect(authenticate({ token: tokens["not yet valid"]! })).rejects.toThrow("Token not yet valid.");
    await expect(authenticate({ token: tokens["wrong aud"]! })).rejects.toThrow("Token audience not accepted.");
    await expect(authenticate({ token: tokens["alg none"]! })).rejects.toThrow("Token algorithm not allowed.");
    await expect(authenticate({ token: tokens["unknown kid"]! })).rejects.toThrow("Token signing key not found.");
    await expect(authenticate({ token: tokens["tampered payload"]! })).rejects.toThrow("Token signature invalid.");
  });

  it("never falls back to anonymous through createSecurity", async () => {
    const { authenticate, tokens } = await cases();
    const security = createSecurity({ authenticators: [authenticate] });
    await expect(security.authenticate({ token: tokens["wrong aud"]! })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("passes on a token of another issuer (null), which createSecurity then refuses as claimed by nobody", async () => {
    const { authenticate, otherIssuer, server } = await cases();
    await expect(authenticate({ token: otherIssuer })).resolves.toBeNull();
    // Routing happens before any key is looked up: the JWKS is not even fetched for it.
    expect(server.fetches()).toBe(0);
    const security = createSecurity({ authenticators: [authenticate] });
    await expect(security.authenticate({ token: otherIssuer })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Credentials not accepted." });
  });

  it("does not refetch the JWKS for repeated unknown kids within the cooldown", async () => {
    const { authenticate, tokens, server } = await cases();
    for (let i = 0; i < 5; i++) await expect(authenticate({ token: tokens["unknown kid"]! })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(server.fetches()).toBe(1);
  });
});

describe("jwtAuthenticator JWKS caching and rotation", () => {
  it("fetches once for many verifications", async () => {
    const { key, server, authenticate } = await setup();
    const token = await sign(key);
    await Promise.all(Array.from({ length: 20 }, () => authenticate({ token })));
    for (let i = 0; i < 5; i++) await authenticate({ token });
    expect(server.fetches()).toBe(1);
  });

  it("fetches a rotated-in kid once, not per request", async () => {
    const { key, server, authenticate } = await setup("ES256", { jwksCooldownMs: 0 });
    await authenticate({ token: await sign(key) });
    expect(server.fetches()).toBe(1);
    const next = await makeKey("ES256");
    server.setKeys([key.jwk, next.jwk]);
    const token = await sign(next, { sub: "user-2" });
    for (let i = 0; i < 10; i++) await expect(authenticate({ token })).resolves.toMatchObject({ id: "user-2" });
    await authenticate({ token: await sign(key) });
    expect(server.fetches()).toBe(2);
  });

  it("rejects keys rotated out after the refetch", async () => {
    const { key, server, authenticate } = await setup("ES256", { jwksCooldownMs: 0, jwksCacheMaxAgeMs: 0 });
    await authenticate({ token: await sign(key) });
    const next = await makeKey("ES256");
    server.setKeys([next.jwk]);
    await expect(authenticate({ token: await sign(key) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(authenticate({ token: await sign(next) })).resolves.toMatchObject({ id: "user-1" });
  });
});

describe("jwtAuthenticator when the JWKS is unreachable", () => {
  async function unreachable(mode: "down" | "error" | "hang"): Promise<{ authenticate: ReturnType<typeof jwtAuthenticator>; key: TestKey }> {
    const { key, server, authenticate } = await setup("ES256", { jwksTimeoutMs: 200 });
    if (mode === "down") await server.close();
    else server.setMode(mode);
    return { key, authenticate };
  }

  it.each(["down", "error", "hang"] as const)("server %s → clear INVALID_CREDENTIALS, no anonymous fall-back", async (mode) => {
    const { key, authenticate } = await unreachable(mode);
    const token = await sign(key);
    await expect(authenticate({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token signing keys are unavailable." });
    const security = createSecurity({ authenticators: [authenticate] });
    await expect(security.authenticate({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("uses an injected fetch", async () => {
    const key = await makeKey("ES256");
    let calls = 0;
    const fetchImpl = (async () => {
      calls++;
      return new Response(JSON.stringify({ keys: [key.jwk] }), { status: 200, headers: { "content-type": "application/json" } });
    }) as unknown as typeof fetch;
    const authenticate = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwksUrl: "https://idp.test/jwks", fetch: fetchImpl });
    await expect(authenticate({ token: await sign(key) })).resolves.toMatchObject({ id: "user-1" });
    expect(calls).toBe(1);
  });
});
