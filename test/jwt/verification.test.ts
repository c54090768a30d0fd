// Signature and parsing through the public entry: every supported algorithm
// verifies with node:crypto, keys of the wrong type never do, and the strict
// parser names what it refuses without echoing the token.
import { constants, createHmac, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { jwtAuthenticator, type JwtAuthenticatorOptions } from "gatehouse/jwt";

const ISSUER = "https://issuer.test/";
const AUDIENCE = "https://api.test";
const SECRET = "a-shared-secret-of-at-least-thirty-two-bytes";
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function claims(extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: "user-1", iat: now, exp: now + 300, ...extra };
}

type Signer = (input: Buffer) => Buffer;
const signers = {
  hmac: (hash: string, secret: string): Signer => (input) => createHmac(hash, secret).update(input).digest(),
  pkcs1: (hash: string, key: KeyObject): Signer => (input) => cryptoSign(hash, input, key),
  pss: (hash: string, key: KeyObject): Signer => (input) =>
    cryptoSign(hash, input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }),
  ecdsa: (hash: string, key: KeyObject): Signer => (input) => cryptoSign(hash, input, { key, dsaEncoding: "ieee-p1363" }),
  eddsa: (key: KeyObject): Signer => (input) => cryptoSign(null, input, key),
};

function token(header: object | string, payload: object | string, signer: Signer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signer(Buffer.from(input)).toString("base64url")}`;
}

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const p256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
const p521 = generateKeyPairSync("ec", { namedCurve: "P-521" });
const ed = generateKeyPairSync("ed25519");

const authenticator = (algorithms: string[], key: Partial<JwtAuthenticatorOptions>) =>
  jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms, tokenCache: false, ...key });

describe("every supported algorithm verifies with node:crypto", () => {
  it.each<[string, Partial<JwtAuthenticatorOptions>, Signer]>([
    ["HS256", { secret: SECRET }, signers.hmac("sha256", SECRET)],
    ["HS384", { secret: SECRET }, signers.hmac("sha384", SECRET)],
    ["HS512", { secret: SECRET }, signers.hmac("sha512", SECRET)],
    ["RS256", { publicKey: rsa.publicKey }, signers.pkcs1("sha256", rsa.privateKey)],
    ["RS384", { publicKey: rsa.publicKey }, signers.pkcs1("sha384", rsa.privateKey)],
    ["RS512", { publicKey: rsa.publicKey }, signers.pkcs1("sha512", rsa.privateKey)],
    ["PS256", { publicKey: rsa.publicKey }, signers.pss("sha256", rsa.privateKey)],
    ["PS384", { publicKey: rsa.publicKey }, signers.pss("sha384", rsa.privateKey)],
    ["PS512", { publicKey: rsa.publicKey }, signers.pss("sha512", rsa.privateKey)],
    ["ES256", { publicKey: p256.publicKey }, signers.ecdsa("sha256", p256.privateKey)],
    ["ES384", { publicKey: p384.publicKey }, signers.ecdsa("sha384", p384.privateKey)],
    ["ES512", { publicKey: p521.publicKey }, signers.ecdsa("sha512", p521.privateKey)],
    ["EdDSA", { publicKey: ed.publicKey }, signers.eddsa(ed.privateKey)],
    ["Ed25519", { publicKey: ed.publicKey }, signers.eddsa(ed.privateKey)],
  ])("%s", async (alg, key, signer) => {
    const authenticate = authenticator([alg], key);
    await expect(authenticate({ token: token({ alg }, claims(), signer) })).resolves.toMatchObject({ id: "user-1" });
    // The same signature over other claims fails: the check is real.
    const good = token({ alg }, claims(), signer);
    const swapped = `${good.split(".")[0]}.${b64(claims({ sub: "admin" }))}.${good.split(".")[2]}`;
    await expect(authenticate({ token: swapped })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token signature invalid." });
  });

  it("accepts the PEM and JWK forms of a public key as well as key objects", async () => {
    const pem = p256.publicKey.export({ format: "pem", type: "spki" }).toString();
    const jwk = { ...(p256.publicKey.export({ format: "jwk" }) as Record<string, string>), alg: "ES256" };
    const t = token({ alg: "ES256" }, claims(), signers.ecdsa("sha256", p256.privateKey));
    await expect(authenticator(["ES256"], { publicKey: pem })({ token: t })).resolves.toMatchObject({ id: "user-1" });
    await expect(authenticator(["ES256"], { publicKey: jwk })({ token: t })).resolves.toMatchObject({ id: "user-1" });
  });
});

describe("the key must suit the pinned algorithm, whatever the token says", () => {
  it("never checks a PKCS#1 v1.5 signature under PS256, nor PSS under RS256", async () => {
    const pkcs1 = token({ alg: "PS256" }, claims(), signers.pkcs1("sha256", rsa.privateKey));
    const pss = token({ alg: "RS256" }, claims(), signers.pss("sha256", rsa.privateKey));
    await expect(authenticator(["PS256"], { publicKey: rsa.publicKey })({ token: pkcs1 })).rejects.toMatchObject({ message: "Token signature invalid." });
    await expect(authenticator(["RS256"], { publicKey: rsa.publicKey })({ token: pss })).rejects.toMatchObject({ message: "Token signature invalid." });
  });

  it("refuses a key of another type or curve given as a key object", async () => {
    // An RSA key object configured for ES256: the token is ES256-signed by a P-256 key the attacker holds.
    const es = token({ alg: "ES256" }, claims(), signers.ecdsa("sha256", p256.privateKey));
    await expect(authenticator(["ES256"], { publicKey: rsa.publicKey })({ token: es })).rejects.toMatchObject({ message: "Token signature invalid." });
    // A P-384 key under ES256 (its signatures are 96 bytes and use SHA-384).
    const wrongCurve = token({ alg: "ES256" }, claims(), signers.ecdsa("sha256", p384.privateKey));
    await expect(authenticator(["ES256"], { publicKey: p384.publicKey })({ token: wrongCurve })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    // An Ed25519 key under ES256.
    await expect(authenticator(["ES256"], { publicKey: ed.publicKey })({ token: es })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("refuses, at construction, a key-shaped object that is no key", () => {
    expect(() => authenticator(["ES256"], { publicKey: { type: "public" } as never })).toThrow(/KeyObject or a WebCrypto CryptoKey/);
  });

  it("refuses RSA keys under 2048 bits", async () => {
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const t = token({ alg: "RS256" }, claims(), signers.pkcs1("sha256", weak.privateKey));
    await expect(authenticator(["RS256"], { publicKey: weak.publicKey })({ token: t })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    const pem = weak.publicKey.export({ format: "pem", type: "spki" }).toString();
    await expect(authenticator(["RS256"], { publicKey: pem })({ token: t })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("an HMAC over the public key never passes for an asymmetric authenticator", async () => {
    const pem = rsa.publicKey.export({ format: "pem", type: "spki" }).toString();
    const confused = token({ alg: "HS256" }, claims(), signers.hmac("sha256", pem));
    await expect(authenticator(["RS256"], { publicKey: pem })({ token: confused })).rejects.toMatchObject({ message: "Token algorithm not allowed." });
    expect(() => authenticator(["HS256"], { publicKey: createPublicKey(pem) })).toThrow(TypeError);
  });
});

describe("strict parsing", () => {
  const authenticate = authenticator(["HS256"], { secret: SECRET });
  const hs = signers.hmac("sha256", SECRET);
  const body = JSON.stringify(claims()).slice(1, -1);

  it.each<[string, () => string, string]>([
    ["crit", () => token({ alg: "HS256", crit: ["exp"] }, claims(), hs), "Token header not supported."],
    ["b64 false", () => token({ alg: "HS256", b64: false }, claims(), hs), "Token header not supported."],
    ["duplicate header member", () => token('{"alg":"HS256","kid":"a","kid":"b"}', claims(), hs), "Malformed token."],
    ["duplicate claim", () => token({ alg: "HS256" }, `{${body},"sub":"admin"}`, hs), "Malformed token."],
    ["duplicate claim hidden behind an escape", () => token({ alg: "HS256" }, `{${body},"s\\u0075b":"admin"}`, hs), "Malformed token."],
    ["__proto__ claim", () => token({ alg: "HS256" }, `{${body},"__proto__":{"roles":["admin"]}}`, hs), "Malformed token."],
    ["kid not a string", () => token({ alg: "HS256", kid: 7 }, claims(), hs), "Malformed token."],
    ["alg not a string", () => token({ alg: ["HS256"] }, claims(), hs), "Malformed token."],
    ["payload an array", () => token({ alg: "HS256" }, "[1]", hs), "Malformed token."],
    ["exp Infinity", () => token({ alg: "HS256" }, `{${JSON.stringify(claims({ exp: undefined })).slice(1, -1)},"exp":1e400}`, hs), "Token claims invalid."],
    ["over 16 KB", () => token({ alg: "HS256" }, claims({ pad: "x".repeat(16_384) }), hs), "Malformed token."],
  ])("refuses %s", async (_name, make, message) => {
    const t = make();
    const error = await authenticate({ token: t }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_CREDENTIALS", message });
    expect((error as Error).message).not.toContain(t.split(".")[1]!.slice(0, 12));
  });

  it("keeps duplicate-looking text inside string values (no false refusal)", async () => {
    const t = token({ alg: "HS256" }, claims({ name: 'say "sub": and \\"kid\\":', nested: { a: [{ b: 1 }, { b: 2 }] } }), hs);
    await expect(authenticate({ token: t })).resolves.toMatchObject({ id: "user-1" });
  });

  it("refuses a non-string token and reports a missing required claim by name", async () => {
    await expect(authenticate({ token: 42 as unknown as string })).rejects.toMatchObject({ message: "Malformed token." });
    await expect(authenticate({ token: token({ alg: "HS256" }, claims({ sub: undefined }), hs) })).rejects.toMatchObject({
      message: 'Token is missing the "sub" claim.',
    });
  });

  it("a remembered header is still held to the pinned algorithms", async () => {
    const hs512 = signers.hmac("sha512", SECRET);
    const header = { alg: "HS512", typ: "JWT" };
    const pinned = authenticator(["HS512"], { secret: SECRET });
    // The first token puts the header in the memo; the HS256-only authenticator must still refuse it.
    await expect(pinned({ token: token(header, claims(), hs512) })).resolves.toMatchObject({ id: "user-1" });
    for (let i = 0; i < 2; i++) {
      await expect(authenticate({ token: token(header, claims(), hs512) })).rejects.toMatchObject({ message: "Token algorithm not allowed." });
    }
  });

  it("a remembered header lets no other part of the token skip a check", async () => {
    const good = token({ alg: "HS256", typ: "JWT" }, claims(), hs);
    await expect(authenticate({ token: good })).resolves.toMatchObject({ id: "user-1" });
    const [h, p, sig] = good.split(".") as [string, string, string];
    for (const bad of [
      `${h}.${p}+.${sig}`,
      `${h}.${p}.${sig}=`,
      `${h}.${p}.${sig}.x`,
      `${h}..${sig}`,
      `${h}.${p}`,
      `${h}`,
      `${h}x.${p}.${sig}`,
      `${h}.${b64(`{${body},"sub":"admin"}`)}.${sig}`,
      `${h}.${b64(claims({ sub: "admin" }))}.${sig}`,
    ]) {
      await expect(authenticate({ token: bad })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    }
    // A header differing from the remembered one only by appended members is judged on its own.
    const crit = `${b64(`{"alg":"HS256","typ":"JWT","crit":["exp"]}`)}.${p}`;
    await expect(authenticate({ token: `${crit}.${hs(Buffer.from(crit)).toString("base64url")}` })).rejects.toMatchObject({
      message: "Token header not supported.",
    });
  });

  it("accepts many distinct headers (the header memo is bounded, not a gate)", async () => {
    for (let i = 0; i < 300; i++) {
      await expect(authenticate({ token: token({ alg: "HS256", typ: "JWT", n: i }, claims(), hs) })).resolves.toMatchObject({ id: "user-1" });
    }
  });
});
