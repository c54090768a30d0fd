import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { redisCounterStore, redisReplayStore } from "gatehouse/store";
import { REDIS_URL } from "./helpers.js";

describe("redis adapters: options", () => {
  it("reject something that is not a client", () => {
    expect(() => redisCounterStore({} as never)).toThrow(TypeError);
    expect(() => redisReplayStore(null as never)).toThrow(TypeError);
  });
});

describe.skipIf(!REDIS_URL)("redis adapters [redis]", () => {
  let clients: Redis[] = [];
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    clients = [];
  });
  function setup() {
    const redis = new Redis(REDIS_URL!);
    clients.push(redis);
    return { redis, prefix: `gatehouse-test:${randomBytes(6).toString("hex")}:` };
  }

  it("counts within a window, expiring with it", async () => {
    const { redis, prefix } = setup();
    const counters = redisCounterStore(redis, { prefix });
    expect(await counters.increment("ip:1", 60)).toBe(1);
    expect(await counters.increment("ip:1", 60)).toBe(2);
    expect(await counters.increment("ip:2", 60)).toBe(1);
    const ttl = await redis.ttl(`${prefix}ip:1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    await counters.reset("ip:1");
    expect(await counters.increment("ip:1", 60)).toBe(1);
  });

  it("parallel increments from two clients are all counted", async () => {
    const a = setup();
    const b = setup();
    const ca = redisCounterStore(a.redis, { prefix: a.prefix });
    const cb = redisCounterStore(b.redis, { prefix: a.prefix });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? ca : cb).increment("k", 30)));
    expect(results.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it("repairs a key left without a TTL", async () => {
    const { redis, prefix } = setup();
    await redis.set(`${prefix}stuck`, "5");
    expect(await redisCounterStore(redis, { prefix }).increment("stuck", 10)).toBe(6);
    expect(await redis.ttl(`${prefix}stuck`)).toBeGreaterThan(0);
  });

  it("a replay store reports a key as seen only the second time, across clients", async () => {
    const a = setup();
    const b = setup();
    const ra = redisReplayStore(a.redis, { prefix: a.prefix });
    const rb = redisReplayStore(b.redis, { prefix: a.prefix });
    expect(await ra.seen("msg_1", 300)).toBe(false);
    expect(await rb.seen("msg_1", 300)).toBe(true);
    expect(await ra.seen("msg_2", 300)).toBe(false);
    const ttl = await a.redis.ttl(`${a.prefix}msg_1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    // Exactly one of many racing first deliveries wins.
    const raced = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? ra : rb).seen("msg_3", 60)));
    expect(raced.filter((seen) => !seen)).toHaveLength(1);
  });

  it("rejects a non-positive window or ttl", async () => {
    const { redis, prefix } = setup();
    await expect(redisCounterStore(redis, { prefix }).increment("k", 0)).rejects.toThrow(TypeError);
    await expect(redisReplayStore(redis, { prefix }).seen("k", -1)).rejects.toThrow(TypeError);
  });
});
