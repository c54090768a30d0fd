import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { memoryReplayStore, signWebhook, verifyWebhook, type VerifyWebhookOptions } from "gatehouse/webhooks";

const SECRET = "jwt-webhook-secret";
const BODY = '{"event":"invoice.paid"}';
const T = 1_700_000_000;

const b64url = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** An independent HS256 encoder, so tests can craft every kind of bad token. */
function token(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "HS256", typ: "JWT" }, secret = SECRET) {
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

const goodClaims = (more: Record<string, unknown> = {}) => ({ iat: T, jti: "evt_1", body_sha256: sha256(BODY), ...more });

function setup() {
  const at = new Date(T * 1000);
  const verify = (jwt: string, more: Partial<VerifyWebhookOptions> = {}) =>
    verifyWebhook("jwt", {
      payload: BODY,
      headers: { authorization: `Bearer ${jwt}` },
      secret: SECRET,
      replayStore: false,
      now: () => at,
      ...more,
    });
  return { at, verify };
}

describe("jwt scheme", () => {
  it("round-trips with signWebhook and returns jti and iat", async () => {
    const headers = signWebhook("jwt", BODY, { secret: SECRET, id: "evt_9", timestamp: new Date(T * 1000) });
    expect(headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    await expect(
      verifyWebhook("jwt", { payload: BODY, headers, secret: SECRET, replayStore: false, now: () => new Date(T * 1000) }),
    ).resolves.toEqual({ scheme: "jwt", id: "evt_9", timestamp: new Date(T * 1000), secretIndex: 0 });
  });

  it("signs a token an independent HS256 check accepts", () => {
    const headers = signWebhook("jwt", BODY, { secret: SECRET, id: "evt_9", timestamp: new Date(T * 1000) });
    const [h, p, s] = headers.authorization!.slice("Bearer ".length).split(".");
    expect(createHmac("sha256", SECRET).update(`${h}.${p}`).digest("base64url")).toBe(s);
    expect(JSON.parse(Buffer.from(h!, "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    expect(JSON.parse(Buffer.from(p!, "base64url").toString())).toEqual({
      iat: T,
      exp: T + 300,
      jti: "evt_9",
      body_sha256: sha256(BODY),
    });
  });

  it("accepts a header without typ, and a token without jti or exp", async () => {
    await expect(setup().verify(token({ iat: T, body_sha256: sha256(BODY) }, { alg: "HS256" }))).resolves.toMatchObject({
      secretIndex: 0,
    });
  });

  it("rejects a valid token replayed with another body", async () => {
    await expect(setup().verify(token(goodClaims()), { payload: '{"event":"invoice.refunded"}' })).rejects.toMatchObject({
      code: "WEBHOOK_VERIFICATION_FAILED",
      reason: "body_hash_mismatch",
    });
  });

  it("rejects a wrong secret and a tampered payload segment", async () => {
    const { verify } = setup();
    await expect(verify(token(goodClaims(), undefined, "other"))).rejects.toMatchObject({ reason: "invalid_signature" });
    const [h, , s] = token(goodClaims()).split(".");
    await expect(verify(`${h}.${b64url(goodClaims({ jti: "evt_2" }))}.${s}`)).rejects.toMatchObject({
      reason: "invalid_signature",
    });
  });

  it.each([
    ["alg none", { alg: "none" }],
    ["RS256", { alg: "RS256", typ: "JWT" }],
    ["an extra header field", { alg: "HS256", kid: "k1" }],
    ["crit", { alg: "HS256", crit: ["b64"], b64: false }],
    ["a wrong typ", { alg: "HS256", typ: "at+jwt" }],
  ])("rejects %s (HS256 only, exact header)", async (_name, header) => {
    await expect(setup().verify(token(goodClaims(), header))).rejects.toMatchObject({ reason: "invalid_signature" });
  });

  it("rejects an unsigned token", async () => {
    const [h, p] = token(goodClaims(), { alg: "none" }).split(".");
    await expect(setup().verify(`${h}.${p}.`)).rejects.toMatchObject({ reason: "malformed_header" });
  });

  it("rejects an old iat, a future iat and an expired exp", async () => {
    const { verify } = setup();
    await expect(verify(token(goodClaims({ iat: T - 301 })))).rejects.toMatchObject({ reason: "timestamp_too_old" });
    await expect(verify(token(goodClaims({ iat: T + 301 })))).rejects.toMatchObject({ reason: "timestamp_in_future" });
    await expect(verify(token(goodClaims({ exp: T })))).rejects.toMatchObject({ reason: "timestamp_too_old" });
    await expect(verify(token(goodClaims({ exp: T + 1 })))).resolves.toMatchObject({ id: "evt_1" });
  });

  it("rejects a second delivery with the same jti", async () => {
    const replayStore = memoryReplayStore();
    const { verify } = setup();
    await expect(verify(token(goodClaims()), { replayStore })).resolves.toMatchObject({ id: "evt_1" });
    // Re-signed with a new iat but the same jti: still the same delivery.
    await expect(verify(token(goodClaims({ iat: T - 1 })), { replayStore })).rejects.toMatchObject({ reason: "replayed" });
  });

  it.each([
    ["no iat", { jti: "a", body_sha256: sha256(BODY) }],
    ["a string iat", { iat: String(T), body_sha256: sha256(BODY) }],
    ["no body_sha256", { iat: T }],
    ["an empty jti", { iat: T, jti: "", body_sha256: sha256(BODY) }],
    ["a numeric exp as string", { iat: T, exp: "later", body_sha256: sha256(BODY) }],
  ])("rejects claims with %s as malformed", async (_name, claims) => {
    await expect(setup().verify(token(claims))).rejects.toMatchObject({ reason: "malformed_header" });
  });

  it.each([
    ["not Bearer", (jwt: string) => ({ authorization: `Basic ${jwt}` })],
    ["two segments", (jwt: string) => ({ authorization: `Bearer ${jwt.split(".").slice(0, 2).join(".")}` })],
    ["bad base64url", (jwt: string) => ({ authorization: `Bearer ${jwt.replace(".", ".@")}` })],
    ["a JSON array payload", () => ({ authorization: `Bearer ${token([1, 2] as never)}` })],
  ])("rejects a token with %s as malformed", async (_name, headers) => {
    await expect(setup().verify(token(goodClaims()), { headers: headers(token(goodClaims())) })).rejects.toMatchObject({
      reason: "malformed_header",
    });
  });

  it("rejects a missing Authorization header", async () => {
    await expect(setup().verify("x", { headers: {} })).rejects.toMatchObject({ reason: "missing_header" });
  });

  it("reads a bare token (or Bearer) from a custom header", async () => {
    const { verify } = setup();
    const jwt = token(goodClaims());
    await expect(verify(jwt, { signatureHeader: "x-webhook-token", headers: { "x-webhook-token": jwt } })).resolves.toMatchObject({
      id: "evt_1",
    });
  });
});
