import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, type VerifyWebhookOptions } from "gatehouse/webhooks";

const SECRET = "shared-secret-value";

function setup() {
  const verify = (more: Partial<VerifyWebhookOptions> = {}) =>
    verifyWebhook("secretKey", { payload: "{}", headers: { "x-webhook-secret": SECRET }, secret: SECRET, ...more });
  return { verify };
}

describe("secretKey scheme", () => {
  it("signs by sending the secret itself", () => {
    expect(signWebhook("secretKey", "{}", { secret: SECRET })).toEqual({ "x-webhook-secret": SECRET });
  });

  it("accepts the shared secret, repeatedly (no replay key: every delivery looks alike)", async () => {
    const { verify } = setup();
    await expect(verify()).resolves.toEqual({ scheme: "secretKey", secretIndex: 0 });
    await expect(verify()).resolves.toEqual({ scheme: "secretKey", secretIndex: 0 });
  });

  it("rejects a wrong, shorter or longer secret", async () => {
    const { verify } = setup();
    for (const presented of ["shared-secret-valuf", "shared", `${SECRET}x`]) {
      await expect(verify({ headers: { "x-webhook-secret": presented } })).rejects.toMatchObject({
        code: "WEBHOOK_VERIFICATION_FAILED",
        reason: "invalid_signature",
      });
    }
  });

  it("rejects a missing or empty header", async () => {
    const { verify } = setup();
    await expect(verify({ headers: {} })).rejects.toMatchObject({ reason: "missing_header" });
    await expect(verify({ headers: { "x-webhook-secret": "" } })).rejects.toMatchObject({ reason: "missing_header" });
  });

  it("reads a custom header and reports which rotated secret matched", async () => {
    await expect(
      setup().verify({ secret: undefined, secrets: ["old", SECRET], signatureHeader: "X-Api-Token", headers: { "x-api-token": SECRET } }),
    ).resolves.toEqual({ scheme: "secretKey", secretIndex: 1 });
  });
});
