// Login, JWKS and forged tokens, over HTTP against the real app.
import { createHmac, createPublicKey, generateKeyPairSync, type JsonWebKey } from "node:crypto";
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, gql, login, startApp, tokenFor, type TestApp } from "./helpers.js";

const ISSUER = "urn:gatehouse:recipes";
const AUDIENCE = "recipes-api";
const b64url = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`auth (${backend.name})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp(backend.options());
    });
    afterAll(async () => {
      await t?.app.close();
    });

    async function jwks(): Promise<{ keys: JWK[] }> {
      return (await (await fetch(`${t.url}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    }
    async function realKid(): Promise<string> {
      return (await jwks()).keys[0]!.kid!;
    }
    async function joeId(): Promise<string> {
      return (await t.app.store.users.get("joe"))!.id;
    }
    async function expectInvalidToken(token: string) {
      const res = await gql(t.url, "{ me { id } recipes { id } }", undefined, token);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
      expect(res.body.data ?? null).toBeNull();
    }

    it("logs in with the right password: a token and its lifetime", async () => {
      const { status, body } = await login(t.url, "joe");
      expect(status).toBe(200);
      expect(body.expiresIn).toBe(900);
      expect(typeof body.token).toBe("string");
      expect(decodeProtectedHeader(body.token)).toMatchObject({ alg: "ES256", kid: await realKid() });
      const me = await gql(t.url, "{ me { username displayName } }", undefined, body.token);
      expect(me.body).toEqual({ data: { me: { username: "joe", displayName: "Joe" } } });
    });

    it("refuses a wrong password and an unknown user alike", async () => {
      for (const [user, password] of [["jane", "nope"], ["nobody-here", "x"]] as const) {
        const { status, body } = await login(t.url, user, password);
        expect(status).toBe(401);
        expect(body.error.code).toBe("INVALID_CREDENTIALS");
        expect(JSON.stringify(body)).not.toContain(password);
      }
    });

    it("answers 400 for malformed JSON and a body without username/password", async () => {
      const bad = await fetch(`${t.url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
      const missing = await fetch(`${t.url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(missing.status).toBe(400);
    });

    it("publishes an asymmetric JWKS with kid and no private members", async () => {
      const { keys } = await jwks();
      expect(keys).toHaveLength(1);
      const key = keys[0]!;
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(typeof key.kid).toBe("string");
      expect(key).not.toHaveProperty("d");
    });

    it("rejects alg none", async () => {
      const header = { alg: "none", typ: "JWT", kid: await realKid() };
      const now = Math.floor(Date.now() / 1000);
      const payload = { sub: await joeId(), iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 };
      await expectInvalidToken(`${b64url(header)}.${b64url(payload)}.`);
    });

    it("rejects algorithm confusion (HS256 keyed with the public key)", async () => {
      const jwk = (await jwks()).keys[0]!;
      const pem = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }).export({ type: "spki", format: "pem" });
      const now = Math.floor(Date.now() / 1000);
      const signingInput = `${b64url({ alg: "HS256", typ: "JWT", kid: jwk.kid })}.${b64url({ sub: await joeId(), iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 })}`;
      for (const secret of [pem, JSON.stringify(jwk)]) {
        const sig = createHmac("sha256", secret).update(signingInput).digest("base64url");
        await expectInvalidToken(`${signingInput}.${sig}`);
      }
    });

    it("rejects a foreign key that claims the known kid, and an unknown kid", async () => {
      const { privateKey } = await generateKeyPair("ES256");
      for (const kid of [await realKid(), "someone-elses-key"]) {
        const token = await new SignJWT({})
          .setProtectedHeader({ alg: "ES256", kid })
          .setSubject(await joeId())
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime("10m")
          .sign(privateKey);
        await expectInvalidToken(token);
      }
    });

    it("rejects an expired token signed with the real key, and a tampered one", async () => {
      const { rows } = await t.app.store.db.query<{ private_jwk: JWK; kid: string }>("SELECT private_jwk, kid FROM recipes_signing_keys");
      const jwk = typeof rows[0]!.private_jwk === "string" ? JSON.parse(rows[0]!.private_jwk) : rows[0]!.private_jwk;
      const key = await importJWK(jwk, "ES256");
      const past = Math.floor(Date.now() / 1000) - 3600;
      const expired = await new SignJWT({})
        .setProtectedHeader({ alg: "ES256", kid: rows[0]!.kid })
        .setSubject(await joeId())
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(past - 900)
        .setExpirationTime(past)
        .sign(key);
      await expectInvalidToken(expired);

      const valid = await tokenFor(t.url, "joe");
      const [h, p, s] = valid.split(".");
      const claims = JSON.parse(Buffer.from(p!, "base64url").toString("utf8"));
      const tampered = `${h}.${b64url({ ...claims, sub: (await t.app.store.users.get("admin"))!.id })}.${s}`;
      await expectInvalidToken(tampered);
    });

    it("rejects a token from a different issuer's key pair even when well-formed (RS256)", async () => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "RS256", kid: await realKid() })
        .setSubject(await joeId())
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime("10m")
        .sign(privateKey);
      await expectInvalidToken(token);
      // The JWK export is only to prove the key is really foreign (not in the JWKS).
      const foreign = await exportJWK(createPublicKey(privateKey));
      expect((await jwks()).keys.some((k) => k.n === foreign.n)).toBe(false);
    });

    it("treats a request without a token as anonymous", async () => {
      const res = await gql(t.url, "{ me { id } }");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { me: null } });
    });

    it("keeps the signing key across restarts (sessions survive)", async () => {
      if (backend.name !== "Postgres") return; // in-memory PGlite has no restart to survive
      const schema = backend.options().databaseSchema!;
      const first = await startApp(backend.options(schema));
      const token = await tokenFor(first.url, "jane");
      await first.app.close();
      const second = await startApp(backend.options(schema));
      try {
        const res = await gql(second.url, "{ me { username } }", undefined, token);
        expect(res.body.data?.me).toEqual({ username: "jane" });
      } finally {
        await second.app.close();
      }
    });
  });

  describe.skipIf(!backend.enabled)(`login rate limit (${backend.name})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp(backend.options());
    });
    afterAll(async () => {
      await t?.app.close();
    });

    it("answers 429 after more than 10 failed attempts for one username, even with the right password", async () => {
      for (let i = 0; i < 10; i++) {
        const { status } = await login(t.url, "ed", `wrong-${i}`);
        expect(status).toBe(401);
      }
      const limited = await login(t.url, "ed", "wrong-again");
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ error: { code: "RATE_LIMITED" } });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await login(t.url, "ed")).status).toBe(429);
      // Other usernames are unaffected.
      expect((await login(t.url, "admin")).status).toBe(200);
    });
  });
}
