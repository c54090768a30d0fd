import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, type WebhookScheme } from "gatehouse/webhooks";

const BODY = '{"event":"order.created","id":42}';
const SECRET = "hmac-test-secret";

function setup(scheme: WebhookScheme) {
  const headers = signWebhook(scheme, BODY, { secret: SECRET });
  const verify = (overrides: Partial<Parameters<typeof verifyWebhook>[1]> = {}) =>
    verifyWebhook(scheme, { payload: BODY, headers, secret: SECRET, replayStore: false, ...overrides });
  return { headers, verify };
}

// Independent reference: node:crypto directly, not the library's helpers.
const reference = {
  sha256: `sha256=${createHmac("sha256", SECRET).update(BODY).digest("hex")}`,
  sha1: `sha1=${createHmac("sha1", SECRET).update(BODY).digest("hex")}`,
  base64Sha256: createHmac("sha256", SECRET).update(BODY).digest("base64"),
  base64Sha1: createHmac("sha1", SECRET).update(BODY).digest("base64"),
} as const;

describe.each(Object.keys(reference) as Array<keyof typeof reference>)("%s scheme", (scheme) => {
  it("signs exactly like a plain HMAC of the raw body", () => {
    expect(setup(scheme).headers).toEqual({ "x-webhook-signature": reference[scheme] });
  });

  it("round-trips", async () => {
    await expect(setup(scheme).verify()).resolves.toEqual({ scheme, secretIndex: 0 });
  });

  it("accepts the signature with and without the algorithm prefix", async () => {
    const { verify } = setup(scheme);
    const algorithm = scheme.toLowerCase().includes("sha256") ? "sha256" : "sha1";
    const bare = reference[scheme].replace(/^sha(256|1)=/, "");
    await expect(verify({ headers: { "x-webhook-signature": bare } })).resolves.toMatchObject({ secretIndex: 0 });
    await expect(verify({ headers: { "x-webhook-signature": `${algorithm}=${bare}` } })).resolves.toMatchObject({
      secretIndex: 0,
    });
  });

  it("rejects a tampered body", async () => {
    await expect(setup(scheme).verify({ payload: BODY.replace("42", "43") })).rejects.toMatchObject({
      code: "WEBHOOK_VERIFICATION_FAILED",
      reason: "invalid_signature",
    });
  });

  it("rejects a wrong secret", async () => {
    await expect(setup(scheme).verify({ secret: "another-secret" })).rejects.toMatchObject({ reason: "invalid_signature" });
  });

  it("rejects a missing header", async () => {
    await expect(setup(scheme).verify({ headers: {} })).rejects.toMatchObject({ reason: "missing_header" });
  });

  it("rejects a prefix naming another algorithm", async () => {
    const bare = reference[scheme].replace(/^sha(256|1)=/, "");
    await expect(setup(scheme).verify({ headers: { "x-webhook-signature": `md5=${bare}` } })).rejects.toMatchObject({
      reason: "malformed_header",
    });
  });

  it("rejects a signature that is not valid in the scheme's encoding", async () => {
    await expect(setup(scheme).verify({ headers: { "x-webhook-signature": "not*valid!" } })).rejects.toMatchObject({
      reason: "malformed_header",
    });
  });

  it("rejects a truncated signature as invalid, not as an early length mismatch error", async () => {
    const truncated = reference[scheme].slice(0, -4);
    await expect(setup(scheme).verify({ headers: { "x-webhook-signature": truncated } })).rejects.toMatchObject({
      reason: "invalid_signature",
    });
  });

  it("reads a custom signature header", async () => {
    const { verify } = setup(scheme);
    await expect(
      verify({ signatureHeader: "X-Hub-Signature", headers: { "x-hub-signature": reference[scheme] } }),
    ).resolves.toMatchObject({ secretIndex: 0 });
  });
});

describe("hex vs base64 schemes", () => {
  it("does not accept a hex signature under a base64 scheme", async () => {
    await expect(
      verifyWebhook("base64Sha256", {
        payload: BODY,
        headers: { "x-webhook-signature": reference.sha256 },
        secret: SECRET,
        replayStore: false,
      }),
    ).rejects.toMatchObject({ code: "WEBHOOK_VERIFICATION_FAILED" });
  });

  it("accepts uppercase hex", async () => {
    const upper = `sha256=${reference.sha256.slice(7).toUpperCase()}`;
    await expect(
      verifyWebhook("sha256", { payload: BODY, headers: { "x-webhook-signature": upper }, secret: SECRET, replayStore: false }),
    ).resolves.toMatchObject({ secretIndex: 0 });
  });
});
