import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { ReplayStore } from "gatehouse";
import { signWebhook, verifyWebhook } from "gatehouse/webhooks";

const url = process.env.GATEHOUSE_TEST_REDIS_URL;

// The ReplayStore contract on a shared store: SET NX EX is atomic, so two
// server processes racing on one delivery let exactly one through.
describe.skipIf(!url)("replay rejection through a Redis-backed ReplayStore", () => {
  const redis = new Redis(url ?? "", { lazyConnect: true, maxRetriesPerRequest: 1 });
  const prefix = `gatehouse-test:${randomUUID()}:`;
  const store: ReplayStore = {
    async seen(key, ttlSec) {
      return (await redis.set(prefix + key, "1", "EX", Math.max(1, Math.ceil(ttlSec)), "NX")) === null;
    },
  };
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("rejects a delivery already verified by another node", async () => {
    const secret = "whsec_" + Buffer.from(`redis-${randomUUID()}`).toString("base64");
    const headers = signWebhook("standard", "{}", { secret });
    const verify = () => verifyWebhook("standard", { payload: "{}", headers, secret, replayStore: store });
    const results = await Promise.allSettled([verify(), verify(), verify()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ reason: "replayed" }),
      expect.objectContaining({ reason: "replayed" }),
    ]);
  });

  it("stores keys with the acceptance window as TTL", async () => {
    const headers = signWebhook("timestampScheme", "{}", { secret: "s" });
    await verifyWebhook("timestampScheme", { payload: "{}", headers, secret: "s", replayStore: store });
    const [key] = await redis.keys(`${prefix}gatehouse:webhook:timestampScheme:*`);
    const ttl = await redis.ttl(key!);
    expect(ttl).toBeGreaterThan(250);
    expect(ttl).toBeLessThanOrEqual(301);
  });
});
