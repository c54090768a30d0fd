import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, type VerifyWebhookOptions } from "gatehouse/webhooks";

// A fixed vector, documented so any implementation can reproduce it:
// HMAC-SHA256 with the UTF-8 secret (Stripe uses the `whsec_` string itself as the key)
// over `${t}.${body}`, hex encoded.
const VECTOR = {
  secret: "whsec_test_secret",
  t: 1614265330,
  body: '{"id":"evt_test","object":"event"}',
  v1: "fbd6bf5496b9d6310e422a2c072578f95f5eb492111ab57a5510e9cd79c1b304",
};

function setup(overrides: Partial<VerifyWebhookOptions> = {}) {
  const at = new Date(VECTOR.t * 1000);
  const headers = signWebhook("timestampScheme", VECTOR.body, { secret: VECTOR.secret, timestamp: at });
  const options: VerifyWebhookOptions = {
    payload: VECTOR.body,
    headers,
    secret: VECTOR.secret,
    replayStore: false,
    now: () => at,
    ...overrides,
  };
  return { headers, at, verify: (more: Partial<VerifyWebhookOptions> = {}) => verifyWebhook("timestampScheme", { ...options, ...more }) };
}

const header = (value: string) => ({ "x-webhook-signature": value });

describe("timestampScheme", () => {
  it("reproduces the documented vector byte for byte", () => {
    const independent = createHmac("sha256", VECTOR.secret).update(`${VECTOR.t}.${VECTOR.body}`).digest("hex");
    expect(independent).toBe(VECTOR.v1);
    expect(setup().headers).toEqual(header(`t=${VECTOR.t},v1=${VECTOR.v1}`));
  });

  it("verifies the vector and reports the signed timestamp", async () => {
    await expect(setup().verify({ headers: header(`t=${VECTOR.t},v1=${VECTOR.v1}`) })).resolves.toEqual({
      scheme: "timestampScheme",
      timestamp: new Date(VECTOR.t * 1000),
      secretIndex: 0,
    });
  });

  it("accepts several v1 entries and ignores other versions", async () => {
    const value = `t=${VECTOR.t},v0=deadbeef,v1=${"00".repeat(32)},v1=${VECTOR.v1}`;
    await expect(setup().verify({ headers: header(value) })).resolves.toMatchObject({ secretIndex: 0 });
  });

  it("rejects a tampered body", async () => {
    await expect(setup().verify({ payload: VECTOR.body.replace("evt_test", "evt_evil") })).rejects.toMatchObject({
      code: "WEBHOOK_VERIFICATION_FAILED",
      reason: "invalid_signature",
    });
  });

  it("rejects a changed timestamp (it is signed)", async () => {
    await expect(setup().verify({ headers: header(`t=${VECTOR.t + 1},v1=${VECTOR.v1}`) })).rejects.toMatchObject({
      reason: "invalid_signature",
    });
  });

  it("rejects a wrong secret", async () => {
    await expect(setup().verify({ secret: "whsec_other" })).rejects.toMatchObject({ reason: "invalid_signature" });
  });

  it("rejects a timestamp older than the tolerance", async () => {
    const { verify, at } = setup();
    await expect(verify({ now: () => new Date(at.getTime() + 301_000) })).rejects.toMatchObject({ reason: "timestamp_too_old" });
    await expect(verify({ now: () => new Date(at.getTime() + 300_000) })).resolves.toMatchObject({ secretIndex: 0 });
  });

  it("rejects a timestamp in the future beyond the tolerance", async () => {
    const { verify, at } = setup();
    await expect(verify({ now: () => new Date(at.getTime() - 301_000) })).rejects.toMatchObject({
      reason: "timestamp_in_future",
    });
  });

  it("honours a custom tolerance", async () => {
    const { verify, at } = setup();
    await expect(verify({ toleranceSec: 10, now: () => new Date(at.getTime() + 11_000) })).rejects.toMatchObject({
      reason: "timestamp_too_old",
    });
  });

  it("checks the signature before the timestamp (a forged old webhook is invalid, not old)", async () => {
    const { verify, at } = setup({ secret: "wrong" });
    await expect(verify({ now: () => new Date(at.getTime() + 10_000_000) })).rejects.toMatchObject({
      reason: "invalid_signature",
    });
  });

  it.each([
    ["no timestamp", `v1=${VECTOR.v1}`],
    ["no v1", `t=${VECTOR.t}`],
    ["two timestamps", `t=${VECTOR.t},t=${VECTOR.t},v1=${VECTOR.v1}`],
    ["non-numeric timestamp", `t=soon,v1=${VECTOR.v1}`],
    ["non-hex signature", `t=${VECTOR.t},v1=xyz`],
    ["an item without =", `t=${VECTOR.t},v1`],
    ["too many signatures", `t=${VECTOR.t}${`,v1=${VECTOR.v1}`.repeat(17)}`],
  ])("rejects a header with %s as malformed", async (_name, value) => {
    await expect(setup().verify({ headers: header(value) })).rejects.toMatchObject({ reason: "malformed_header" });
  });

  it("rejects a missing header", async () => {
    await expect(setup().verify({ headers: {} })).rejects.toMatchObject({ reason: "missing_header" });
  });
});
