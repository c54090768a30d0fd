import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, type VerifyWebhookOptions } from "gatehouse/webhooks";

// The Standard Webhooks published test vector (reference libraries' tests).
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

const vectorHeaders = (signature = VECTOR.signature) => ({
  "webhook-id": VECTOR.id,
  "webhook-timestamp": String(VECTOR.timestamp),
  "webhook-signature": signature,
});

function setup() {
  const at = new Date(VECTOR.timestamp * 1000);
  const verify = (more: Partial<VerifyWebhookOptions> = {}) =>
    verifyWebhook("standard", {
      payload: VECTOR.body,
      headers: vectorHeaders(),
      secret: VECTOR.secret,
      replayStore: false,
      now: () => at,
      ...more,
    });
  return { at, verify };
}

describe("standard (Standard Webhooks)", () => {
  it("reproduces the published signature", () => {
    const headers = signWebhook("standard", VECTOR.body, {
      secret: VECTOR.secret,
      id: VECTOR.id,
      timestamp: new Date(VECTOR.timestamp * 1000),
    });
    expect(headers).toEqual(vectorHeaders());
  });

  it("agrees with an independent node:crypto computation", () => {
    const key = Buffer.from(VECTOR.secret.slice("whsec_".length), "base64");
    const mac = createHmac("sha256", key).update(`${VECTOR.id}.${VECTOR.timestamp}.${VECTOR.body}`).digest("base64");
    expect(`v1,${mac}`).toBe(VECTOR.signature);
  });

  it("verifies the published vector and returns the id and timestamp", async () => {
    await expect(setup().verify()).resolves.toEqual({
      scheme: "standard",
      id: VECTOR.id,
      timestamp: new Date(VECTOR.timestamp * 1000),
      secretIndex: 0,
    });
  });

  it("accepts the key without the whsec_ prefix and as raw bytes", async () => {
    const { verify } = setup();
    const bare = VECTOR.secret.slice("whsec_".length);
    await expect(verify({ secret: bare })).resolves.toMatchObject({ secretIndex: 0 });
    await expect(verify({ secret: new Uint8Array(Buffer.from(bare, "base64")) })).resolves.toMatchObject({ secretIndex: 0 });
  });

  it("accepts any matching signature among several, and skips other versions", async () => {
    const value = `v1a,c29tZXRoaW5n v1,bm9wZQ== ${VECTOR.signature}`;
    await expect(setup().verify({ headers: vectorHeaders(value) })).resolves.toMatchObject({ secretIndex: 0 });
  });

  it("rejects a tampered body, id or timestamp", async () => {
    const { verify } = setup();
    await expect(verify({ payload: '{"test": 2432232315}' })).rejects.toMatchObject({ reason: "invalid_signature" });
    await expect(verify({ headers: { ...vectorHeaders(), "webhook-id": "msg_other" } })).rejects.toMatchObject({
      reason: "invalid_signature",
    });
    await expect(
      verify({ headers: { ...vectorHeaders(), "webhook-timestamp": String(VECTOR.timestamp + 1) } }),
    ).rejects.toMatchObject({ reason: "invalid_signature" });
  });

  it("rejects a wrong secret", async () => {
    await expect(setup().verify({ secret: "whsec_" + Buffer.from("another key").toString("base64") })).rejects.toMatchObject({
      code: "WEBHOOK_VERIFICATION_FAILED",
      reason: "invalid_signature",
    });
  });

  it("rejects a header with only unsupported signature versions as invalid", async () => {
    await expect(setup().verify({ headers: vectorHeaders("v1a,c29tZXRoaW5n") })).rejects.toMatchObject({
      reason: "invalid_signature",
    });
  });

  it("rejects old and future timestamps", async () => {
    const { verify, at } = setup();
    await expect(verify({ now: () => new Date(at.getTime() + 301_000) })).rejects.toMatchObject({ reason: "timestamp_too_old" });
    await expect(verify({ now: () => new Date(at.getTime() - 301_000) })).rejects.toMatchObject({
      reason: "timestamp_in_future",
    });
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])("rejects a missing %s header", async (name) => {
    const headers: Record<string, string> = vectorHeaders();
    delete headers[name];
    await expect(setup().verify({ headers })).rejects.toMatchObject({ reason: "missing_header" });
  });

  it.each([
    ["a non-numeric timestamp", { "webhook-timestamp": "1614265330.5" }],
    ["an entry without a version", { "webhook-signature": "g0hM9SsE" }],
    ["a non-base64 signature", { "webhook-signature": "v1,***" }],
    ["too many signatures", { "webhook-signature": Array(17).fill(VECTOR.signature).join(" ") }],
  ])("rejects %s as malformed", async (_name, patch) => {
    await expect(setup().verify({ headers: { ...vectorHeaders(), ...patch } })).rejects.toMatchObject({
      reason: "malformed_header",
    });
  });

  it("throws a TypeError for a secret that is not base64 key bytes", async () => {
    await expect(setup().verify({ secret: "whsec_not base64!" })).rejects.toThrow(TypeError);
    await expect(setup().verify({ secret: "whsec_" })).rejects.toThrow(TypeError);
  });

  it("round-trips with a generated id", async () => {
    const secret = "whsec_" + Buffer.from("a 24-byte key for tests!").toString("base64");
    const headers = signWebhook("standard", "{}", { secret });
    expect(headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    await expect(verifyWebhook("standard", { payload: "{}", headers, secret, replayStore: false })).resolves.toMatchObject({
      id: headers["webhook-id"],
    });
  });
});
