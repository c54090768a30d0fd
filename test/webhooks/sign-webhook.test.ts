import { describe, expect, it } from "vitest";
import { signWebhook, type SignWebhookOptions, type WebhookScheme } from "gatehouse/webhooks";

const T = new Date("2024-05-01T12:00:00Z");

describe("signWebhook", () => {
  it.each<[WebhookScheme, string[]]>([
    ["sha256", ["x-webhook-signature"]],
    ["sha1", ["x-webhook-signature"]],
    ["base64Sha256", ["x-webhook-signature"]],
    ["base64Sha1", ["x-webhook-signature"]],
    ["timestampScheme", ["x-webhook-signature"]],
    ["jwt", ["authorization"]],
    ["secretKey", ["x-webhook-secret"]],
    ["standard", ["webhook-id", "webhook-signature", "webhook-timestamp"]],
  ])("returns the %s headers to send", (scheme, names) => {
    const secret = scheme === "standard" ? "whsec_c2VjcmV0" : "secret";
    expect(Object.keys(signWebhook(scheme, "{}", { secret, timestamp: T })).sort()).toEqual(names);
  });

  it("is deterministic for a fixed time and id", () => {
    const sign = () => signWebhook("timestampScheme", "{}", { secret: "s", timestamp: T });
    expect(sign()).toEqual(sign());
    expect(sign()["x-webhook-signature"]).toMatch(/^t=1714564800,v1=[0-9a-f]{64}$/);
  });

  it("signs bytes and the equivalent string alike", () => {
    expect(signWebhook("sha256", new TextEncoder().encode("héllo"), { secret: "s" })).toEqual(
      signWebhook("sha256", "héllo", { secret: "s" }),
    );
  });

  it("uses the current time by default", () => {
    const before = Math.floor(Date.now() / 1000);
    const t = Number(signWebhook("standard", "{}", { secret: "whsec_c2VjcmV0" })["webhook-timestamp"]);
    expect(t).toBeGreaterThanOrEqual(before);
  });

  it.each<[string, WebhookScheme, unknown, Partial<SignWebhookOptions>]>([
    ["an unknown scheme", "md5" as WebhookScheme, "{}", {}],
    ["an empty payload", "sha256", "", {}],
    ["a parsed payload", "sha256", { a: 1 }, {}],
    ["an empty secret", "sha256", "{}", { secret: "" }],
    ["an invalid standard secret", "standard", "{}", { secret: "whsec_!!" }],
    ["an invalid timestamp", "standard", "{}", { timestamp: new Date(Number.NaN) }],
    ["an empty id", "standard", "{}", { id: "" }],
  ])("throws a TypeError for %s", (_name, scheme, payload, more) => {
    const secret = scheme === "standard" ? "whsec_c2VjcmV0" : "secret";
    expect(() => signWebhook(scheme, payload as string, { secret, ...more })).toThrow(TypeError);
  });

  it("throws a TypeError without options", () => {
    expect(() => signWebhook("sha256", "{}", undefined as never)).toThrow(TypeError);
  });
});
