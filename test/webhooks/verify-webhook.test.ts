import { describe, expect, it, vi } from "vitest";
import type { ReplayStore } from "gatehouse";
import {
  WEBHOOK_SCHEMES,
  memoryReplayStore,
  signWebhook,
  verifyWebhook,
  type VerifyWebhookOptions,
  type WebhookScheme,
} from "gatehouse/webhooks";

const BODY = '{"type":"user.created","data":{"id":"u_1"}}';
const T = new Date("2024-05-01T12:00:00Z");

/** A secret that works with every scheme (`standard` needs base64 key bytes). */
const secretFor = (scheme: WebhookScheme, n = 1) =>
  scheme === "standard" ? "whsec_" + Buffer.from(`rotation-key-number-${n}`).toString("base64") : `secret-number-${n}`;

function setup(scheme: WebhookScheme = "standard") {
  const headers = signWebhook(scheme, BODY, { secret: secretFor(scheme), timestamp: T, id: "msg_1" });
  const verify = (more: Partial<VerifyWebhookOptions> = {}) =>
    verifyWebhook(scheme, { payload: BODY, headers, secret: secretFor(scheme), replayStore: false, now: () => T, ...more });
  return { headers, verify };
}

describe("verifyWebhook: every scheme", () => {
  it("lists exactly the eight supported schemes", () => {
    expect([...WEBHOOK_SCHEMES].sort()).toEqual(
      ["base64Sha1", "base64Sha256", "jwt", "secretKey", "sha1", "sha256", "standard", "timestampScheme"].sort(),
    );
  });

  describe.each(WEBHOOK_SCHEMES)("%s", (scheme) => {
    it("round-trips a string and a byte payload", async () => {
      const { verify } = setup(scheme);
      await expect(verify()).resolves.toMatchObject({ scheme, secretIndex: 0 });
      await expect(verify({ payload: new TextEncoder().encode(BODY) })).resolves.toMatchObject({ scheme });
    });

    it("matches the second of two rotated secrets (secretIndex 1)", async () => {
      await expect(
        setup(scheme).verify({ secret: undefined, secrets: [secretFor(scheme, 2), secretFor(scheme, 1)] }),
      ).resolves.toMatchObject({ secretIndex: 1 });
    });

    it("rejects a parsed object, null and an empty body as not raw", async () => {
      const { verify } = setup(scheme);
      for (const payload of [JSON.parse(BODY), null, undefined, "", new Uint8Array(0)]) {
        await expect(verify({ payload })).rejects.toMatchObject({ code: "WEBHOOK_VERIFICATION_FAILED", reason: "payload_not_raw" });
      }
    });

    it("rejects a huge header as malformed", async () => {
      const { headers, verify } = setup(scheme);
      const huge = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v + "A".repeat(9000)]));
      await expect(verify({ headers: huge })).rejects.toMatchObject({ reason: "malformed_header" });
    });

    it("never echoes a secret or the expected signature in the error", async () => {
      const secret = secretFor(scheme, 3);
      const error: Error = await setup(scheme)
        .verify({ secret })
        .then(
          () => new Error("expected a rejection"),
          (e: unknown) => e as Error,
        );
      const expected = Object.values(signWebhook(scheme, BODY, { secret, timestamp: T, id: "msg_1" })).join(" ");
      expect(error).toMatchObject({ code: "WEBHOOK_VERIFICATION_FAILED", status: 401 });
      const text = `${error.message} ${JSON.stringify(error)}`;
      expect(text).not.toContain(secret);
      for (const part of expected.split(/[ ,=]/).filter((p) => p.length > 12)) expect(text).not.toContain(part);
    });
  });
});

describe("verifyWebhook: inputs", () => {
  it.each(["md5", "none", "constructor", "__proto__", "toString", ""])("rejects the scheme %j", async (scheme) => {
    await expect(
      verifyWebhook(scheme as WebhookScheme, { payload: BODY, headers: {}, secret: "x" }),
    ).rejects.toMatchObject({ reason: "unsupported_scheme" });
  });

  it("reads headers case-insensitively, from plain objects and Headers", async () => {
    const { headers, verify } = setup();
    const shouting = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(verify({ headers: shouting })).resolves.toMatchObject({ id: "msg_1" });
    await expect(verify({ headers: new Headers(headers) })).resolves.toMatchObject({ id: "msg_1" });
    // A Headers polyfill or one from another realm: duck-typed on get/forEach.
    await expect(verify({ headers: new Map(Object.entries(headers)) as unknown as Headers })).resolves.toMatchObject({
      id: "msg_1",
    });
    await expect(verify({ headers: { ...headers, "webhook-id": [headers["webhook-id"]!] } })).resolves.toMatchObject({
      id: "msg_1",
    });
  });

  it("refuses ambiguous headers: two spellings or several values", async () => {
    const { headers, verify } = setup();
    await expect(verify({ headers: { ...headers, "Webhook-Id": "msg_2" } })).rejects.toMatchObject({
      reason: "malformed_header",
    });
    await expect(verify({ headers: { ...headers, "webhook-id": ["msg_1", "msg_2"] } })).rejects.toMatchObject({
      reason: "malformed_header",
    });
  });

  it("honours maxHeaderBytes", async () => {
    await expect(setup().verify({ maxHeaderBytes: 10 })).rejects.toMatchObject({ reason: "malformed_header" });
  });

  it("verifies a snapshot of the payload bytes", async () => {
    const payload = new TextEncoder().encode(BODY);
    const { verify } = setup();
    const pending = verify({ payload });
    payload.fill(0); // mutated after the call: must not change the outcome
    await expect(pending).resolves.toMatchObject({ id: "msg_1" });
  });

  it.each<[string, Partial<VerifyWebhookOptions>]>([
    ["no secret", { secret: undefined }],
    ["an empty secrets list", { secret: undefined, secrets: [] }],
    ["both secret and secrets", { secrets: ["x"] }],
    ["an empty secret", { secret: "" }],
    ["a numeric secret", { secret: 42 as never }],
    ["a zero tolerance", { toleranceSec: 0 }],
    ["a NaN tolerance", { toleranceSec: Number.NaN }],
    ["a fractional maxHeaderBytes", { maxHeaderBytes: 1.5 }],
    ["an empty signatureHeader", { signatureHeader: " " }],
    ["a replay store without seen()", { replayStore: {} as never }],
    ["a non-function clock", { now: 5 as never }],
    ["a clock returning an invalid date", { now: () => new Date("nope") }],
  ])("throws a TypeError for %s", async (_name, more) => {
    await expect(setup("timestampScheme").verify(more)).rejects.toThrow(TypeError);
  });

  it("throws a TypeError for headers that are not an object", async () => {
    await expect(setup().verify({ headers: "webhook-id: 1" as never })).rejects.toThrow(TypeError);
  });
});

describe("verifyWebhook: replay", () => {
  it("rejects the same delivery twice through the default store", async () => {
    const secret = "whsec_" + Buffer.from(`default-store-${Math.random()}`).toString("base64");
    const headers = signWebhook("standard", BODY, { secret });
    await expect(verifyWebhook("standard", { payload: BODY, headers, secret })).resolves.toMatchObject({ secretIndex: 0 });
    await expect(verifyWebhook("standard", { payload: BODY, headers, secret })).rejects.toMatchObject({ reason: "replayed" });
  });

  it("accepts a Standard Webhooks retry (same id, fresh timestamp) but not a re-send", async () => {
    const replayStore = memoryReplayStore();
    const secret = secretFor("standard");
    const first = signWebhook("standard", BODY, { secret, id: "msg_r", timestamp: T });
    const retry = signWebhook("standard", BODY, { secret, id: "msg_r", timestamp: new Date(T.getTime() + 5000) });
    const verify = (headers: Record<string, string>) =>
      verifyWebhook("standard", { payload: BODY, headers, secret, replayStore, now: () => T });
    await expect(verify(first)).resolves.toMatchObject({ id: "msg_r" });
    await expect(verify(retry)).resolves.toMatchObject({ id: "msg_r" });
    await expect(verify(first)).rejects.toMatchObject({ reason: "replayed" });
  });

  it.each(["sha256", "base64Sha1", "timestampScheme", "jwt"] as const)("rejects a replayed %s delivery", async (scheme) => {
    const replayStore = memoryReplayStore();
    const { verify } = setup(scheme);
    await expect(verify({ replayStore })).resolves.toMatchObject({ scheme });
    await expect(verify({ replayStore })).rejects.toMatchObject({ reason: "replayed" });
  });

  it("records only verified deliveries, for as long as they stay acceptable", async () => {
    const seen = vi.fn<ReplayStore["seen"]>(async () => false);
    const { verify } = setup("timestampScheme");
    await expect(verify({ replayStore: { seen }, secret: "wrong" })).rejects.toMatchObject({ reason: "invalid_signature" });
    await expect(verify({ replayStore: { seen }, now: () => new Date(T.getTime() + 301_000) })).rejects.toMatchObject({
      reason: "timestamp_too_old",
    });
    expect(seen).not.toHaveBeenCalled();
    // Signed 100 s ahead of our clock: acceptable until t + tolerance, 400 s from now.
    await verify({ replayStore: { seen }, now: () => new Date(T.getTime() - 100_000) });
    expect(seen).toHaveBeenCalledWith(expect.stringMatching(/^gatehouse:webhook:timestampScheme:[0-9a-f]{64}$/), 400);
  });

  it("fails closed when the replay store fails", async () => {
    const replayStore: ReplayStore = { seen: async () => Promise.reject(new Error("redis down")) };
    await expect(setup("sha256").verify({ replayStore })).rejects.toThrow("redis down");
  });

  it("can be turned off", async () => {
    const { verify } = setup("sha256");
    await expect(verify({ replayStore: false })).resolves.toBeDefined();
    await expect(verify({ replayStore: false })).resolves.toBeDefined();
  });
});
