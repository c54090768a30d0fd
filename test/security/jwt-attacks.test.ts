// The JWT attack list, against jwtAuthenticator and over HTTP against the
// recipes app: every forged, malformed or mis-scoped token is a 401
// (INVALID_CREDENTIALS), never anonymous, never a 500.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecurity } from "gatehouse";
import { getCredentials } from "gatehouse/http";
import { jwtAuthenticator, type JwtAuthenticatorOptions } from "gatehouse/jwt";
import { AUDIENCE, gql, ISSUER, realKey, startApp, TOLERANCE_SEC, tokenFor, userId, type TestApp } from "./fixtures/app.js";
import { buildAttacks, buildControls, type AttackTarget } from "./fixtures/jwt-attacks.js";
import { craft, es256, hmac, makeEcKey } from "./fixtures/tokens.js";

/** A server the attacker controls (jku / x5u targets); it counts every hit, which must stay 0. */
async function startAttackerServer(jwks: unknown): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const NOW = 1_800_000_000;
// Started at collection time: the attack tokens (built then) name its URL.
const attacker = await startAttackerServer({ keys: [makeEcKey().publicJwk] });
afterAll(() => attacker.close());

describe("jwtAuthenticator under attack", () => {
  const real = makeEcKey("real-key");

  function attackTarget(): AttackTarget {
    return { real, iss: "https://issuer.test/", aud: "https://api.test", sub: "admin-1", now: NOW, toleranceSec: TOLERANCE_SEC, attackerUrl: attacker.url };
  }

  // The same attacks against each way of giving the key (a JWKS, and a bare PEM: the classic
  // confusion target), and with the target chained beside another identity provider, first or second.
  const other = makeEcKey("other-provider-key");
  const OTHER_ISSUER = "https://other-idp.test/";
  const OTHER_SECRET = "other-provider-secret-of-at-least-32-bytes";
  const setups = {
    "key from jwks": (t: AttackTarget) => [targetAuthenticator(t, { jwks: { keys: [real.publicJwk] } })],
    "key from publicKey": (t: AttackTarget) => [targetAuthenticator(t, { publicKey: real.publicPem })],
    "two providers, target second": (t: AttackTarget) => [
      jwtAuthenticator({ issuer: OTHER_ISSUER, audience: t.aud, algorithms: ["ES256"], jwks: { keys: [other.publicJwk] }, currentDate: () => new Date(NOW * 1000) }),
      targetAuthenticator(t, { jwks: { keys: [real.publicJwk] } }),
    ],
    "two providers, target first": (t: AttackTarget) => [
      targetAuthenticator(t, { jwks: { keys: [real.publicJwk] } }),
      jwtAuthenticator({ issuer: OTHER_ISSUER, audience: t.aud, algorithms: ["HS256"], secret: OTHER_SECRET, currentDate: () => new Date(NOW * 1000) }),
    ],
  } as const;

  function targetAuthenticator(t: AttackTarget, keys: Partial<JwtAuthenticatorOptions>) {
    return jwtAuthenticator({
      issuer: t.iss,
      audience: t.aud,
      algorithms: ["ES256"],
      clockToleranceSec: TOLERANCE_SEC,
      currentDate: () => new Date(NOW * 1000),
      ...keys,
    });
  }

  function setup(name: keyof typeof setups = "key from jwks") {
    const t = attackTarget();
    return { t, security: createSecurity({ authenticators: setups[name](t) }) };
  }

  for (const name of Object.keys(setups) as Array<keyof typeof setups>) {
    describe(name, () => {
      const t = attackTarget();
      for (const attack of buildAttacks(t)) {
        it(`refuses: ${attack.name}`, async () => {
          const { security } = setup(name);
          await expect(security.authenticate({ token: attack.token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
        });
      }

      for (const control of buildControls(t)) {
        it(`accepts the control: ${control.name}`, async () => {
          const { security } = setup(name);
          const ctx = await security.authenticate({ token: control.token });
          expect(ctx.identity?.id).toBe(control.sub);
        });
      }
    });
  }

  it("chained: the other provider's own tokens still pass, and the target's key cannot sign for it", async () => {
    const { t } = setup();
    const claims = { iss: OTHER_ISSUER, aud: t.aud, sub: "other-user", iat: NOW, exp: NOW + 600 };
    const byOther = craft({ alg: "ES256", kid: other.kid }, claims, es256(other.privateKey));
    const byOtherSecret = craft({ alg: "HS256" }, claims, hmac("sha256", OTHER_SECRET));
    await expect(setup("two providers, target second").security.authenticate({ token: byOther })).resolves.toMatchObject({ identity: { id: "other-user" } });
    await expect(setup("two providers, target first").security.authenticate({ token: byOtherSecret })).resolves.toMatchObject({ identity: { id: "other-user" } });
    // The other issuer's name on a token signed by the target's real key (with the real kid) is still refused.
    const crossSigned = craft({ alg: "ES256", kid: real.kid }, claims, es256(real.privateKey));
    for (const name of ["two providers, target second", "two providers, target first"] as const) {
      await expect(setup(name).security.authenticate({ token: crossSigned })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    }
  });

  it("never fetches jku / x5u URLs named by a token", () => {
    // Runs after the attack cases above (vitest runs a file's tests in order).
    expect(attacker.hits()).toBe(0);
  });

  it("accepts exp = now - tolerance + 1 and nbf = now + tolerance - 1 (the inside of each edge)", async () => {
    const { t, security } = setup();
    const base = { iss: t.iss, aud: t.aud, sub: "u-1", iat: NOW };
    const sign = (claims: object) => craft({ alg: "ES256", kid: real.kid }, claims, es256(real.privateKey));
    await expect(security.authenticate({ token: sign({ ...base, exp: NOW - TOLERANCE_SEC + 1 }) })).resolves.toMatchObject({ isAuthenticated: true });
    await expect(security.authenticate({ token: sign({ ...base, exp: NOW + 60, nbf: NOW + TOLERANCE_SEC - 1 }) })).resolves.toMatchObject({ isAuthenticated: true });
  });

  it("resolves duplicate claims of a genuinely signed token to the last one (RFC 7519 §4) or refuses it", async () => {
    const { t, security } = setup();
    const payload = `{"iss":"${t.iss}","aud":"${t.aud}","sub":"first","sub":"last","exp":${NOW + 60}}`;
    const token = craft({ alg: "ES256", kid: real.kid }, payload, es256(real.privateKey));
    const outcome = await security.authenticate({ token }).then((ctx) => ctx.identity?.id, (error: { code?: string }) => error.code);
    expect(["last", "INVALID_CREDENTIALS"]).toContain(outcome);
  });

  it("keeps the token out of every error message", async () => {
    const { t, security } = setup();
    for (const { token } of buildAttacks(t)) {
      const error = await security.authenticate({ token }).then(
        () => new Error("accepted"),
        (e: Error) => e,
      );
      const parts = token.split(".").filter((p) => p.length > 8);
      for (const part of parts) expect(error.message).not.toContain(part);
    }
  });
});

describe("recipes app under token attack (HTTP)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t?.app.close();
  });

  async function setup(): Promise<AttackTarget> {
    const real = await realKey(t.app);
    return { real, iss: ISSUER, aud: AUDIENCE, sub: await userId(t.app, "admin"), now: Math.floor(Date.now() / 1000), toleranceSec: TOLERANCE_SEC, attackerUrl: attacker.url };
  }

  /** 401 with the RFC 6750 header and no data; Node itself answers 431 for headers over its 16 KB limit. */
  async function expectRefused(authorization: string | string[], label: string) {
    const res = await gql(t.url, "{ me { id email } recipes { id title } }", { authorization });
    const tooLarge = (Array.isArray(authorization) ? authorization.join("") : authorization).length > 16_000;
    expect(tooLarge ? [401, 431] : [401], label).toContain(res.status);
    if (res.status === 401) {
      expect(res.headers["www-authenticate"], label).toBe('Bearer error="invalid_token"');
      const body = res.json();
      expect(body.data ?? null, label).toBeNull();
      expect(body.errors?.[0]?.extensions?.code, label).toBe("INVALID_CREDENTIALS");
    }
  }

  it("refuses every token of the attack list with 401, never anonymous, never a 500", async () => {
    const target = await setup();
    const attacks = buildAttacks(target);
    expect(attacks.length).toBeGreaterThan(60);
    for (const attack of attacks) {
      // Header values cannot carry NUL/newlines; those are a client-side error, not an attack that reaches the server.
      if (/[\r\n\0]/.test(attack.token)) continue;
      // Wall-clock time moves between signing and checking, so the exact nbf edge is tested with a fixed clock above.
      if (attack.name.startsWith("nbf = now + tolerance")) continue;
      // Spaces between "Bearer" and the token belong to the header syntax (RFC 7235 1*SP), so over HTTP this is the valid token.
      if (attack.name === "leading space") continue;
      await expectRefused(`Bearer ${attack.token}`, attack.name);
    }
    expect(attacker.hits()).toBe(0);
  });

  it("accepts the controls, so the refusals above are about the token", async () => {
    const target = await setup();
    for (const control of buildControls(target)) {
      const res = await gql(t.url, "{ me { id } }", { authorization: `Bearer ${control.token}` });
      expect(res.status, control.name).toBe(200);
      expect(res.json().data?.me?.id, control.name).toBe(control.sub);
    }
  });

  it("refuses tokens past the clock-skew edges and accepts them inside", async () => {
    const target = await setup();
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: object) => craft({ alg: "ES256", kid: target.real.kid }, { iss: ISSUER, aud: AUDIENCE, sub: target.sub, iat: now, ...claims }, es256(target.real.privateKey));
    await expectRefused(`Bearer ${sign({ exp: now - TOLERANCE_SEC - 1 })}`, "expired beyond tolerance");
    await expectRefused(`Bearer ${sign({ exp: now + 600, nbf: now + TOLERANCE_SEC + 30 })}`, "nbf beyond tolerance");
    // Inside the tolerance by a 3 s margin, so a slow machine does not push them over.
    for (const claims of [{ exp: now - 2 }, { exp: now + 600, nbf: now + 2 }]) {
      const res = await gql(t.url, "{ me { id } }", { authorization: `Bearer ${sign(claims)}` });
      expect(res.json().data?.me?.id, JSON.stringify(claims)).toBe(target.sub);
    }
  });

  it.each([
    ["empty Bearer", "Bearer "],
    ["Bearer alone", "Bearer"],
    ["whitespace after Bearer", "Bearer     "],
    ["tab after Bearer", "Bearer\t"],
    ["two tokens", "Bearer a.b.c d.e.f"],
    ["a quoted token", 'Bearer "a.b.c"'],
    ["non-b64token characters", "Bearer a.b.c;drop"],
  ])("refuses a malformed Authorization header: %s", async (name, authorization) => {
    await expectRefused(authorization, name);
  });

  it("refuses two Authorization headers, even when one carries a valid token", async () => {
    const joe = await tokenFor(t.url, "joe");
    const jane = await tokenFor(t.url, "jane");
    await expectRefused([`Bearer ${joe}`, `Bearer ${jane}`], "two valid bearer tokens");
    await expectRefused([`Bearer ${joe}`, "Bearer junk"], "valid then junk");
    await expectRefused(["Bearer junk", `Bearer ${joe}`], "junk then valid");
    await expectRefused([`Bearer ${joe}`, "Basic am9lOnB3"], "bearer then basic");
  });

  it("refuses two Authorization headers when the first is not Bearer", async () => {
    // Fetch `Headers` joins repeated headers into "Basic am9lOnB3, Bearer <token>".
    const joe = await tokenFor(t.url, "joe");
    await expectRefused(["Basic am9lOnB3", `Bearer ${joe}`], "basic then bearer");
  });

  it("getCredentials flags two Authorization headers from a Node request (rawHeaders)", async () => {
    const credentials = getCredentials({ headers: { authorization: "Basic x" }, rawHeaders: ["Authorization", "Basic x", "Authorization", "Bearer a.b.c"] });
    expect(credentials.token).toBeUndefined();
    expect(credentials.malformed ?? []).toContain("authorization");
  });

  it("does not take a token from the query string or an unknown scheme (anonymous, not the token's user)", async () => {
    const joe = await tokenFor(t.url, "joe");
    const viaQuery = await fetch(`${t.url}/graphql?access_token=${joe}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect(viaQuery.status).toBe(200);
    expect(((await viaQuery.json()) as { data: { me: unknown } }).data.me).toBeNull();
    const basic = await gql(t.url, "{ me { id } }", { authorization: `Basic ${Buffer.from("joe:joe-password").toString("base64")}` });
    expect(basic.json().data?.me ?? null).toBeNull();
  });

  it.each(["gh_live_0123456789abcdef", "admin", "' OR 1=1 --", "key with spaces"])("never makes anyone of an X-API-Key the app does not issue (%s)", async (key) => {
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-api-key": key },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect([200, 401]).toContain(res.status);
    expect(((await res.json()) as { data?: { me: unknown } | null }).data?.me ?? null).toBeNull();
  });

  it("still answers a valid token after the attack run", async () => {
    const joe = await tokenFor(t.url, "joe");
    const res = await gql(t.url, "{ me { username } }", { authorization: `Bearer ${joe}` });
    expect(res.json().data).toEqual({ me: { username: "joe" } });
  });
});
