import { describe, expect, it } from "vitest";
import { createRateLimiter, errorResponseInit, memoryCounterStore } from "gatehouse/http";

function setup(limit = 3, windowSec = 60) {
  let now = 1_000_000;
  const store = memoryCounterStore({ now: () => now, maxKeys: 3 });
  const limiter = createRateLimiter({ limit, windowSec, store });
  return { limiter, store, advance: (ms: number) => (now += ms) };
}

describe("createRateLimiter", () => {
  it("allows up to the limit, then throws RATE_LIMITED with Retry-After", async () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) await limiter.hit("ip:1");
    const error = await limiter.hit("ip:1").then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: "RATE_LIMITED", status: 429, retryAfterSec: 60 });
    expect(errorResponseInit(error).headers["retry-after"]).toBe("60");
  });

  it("counts keys separately and resets", async () => {
    const { limiter } = setup(1);
    await limiter.hit("a");
    await limiter.hit("b");
    await expect(limiter.hit("a")).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await limiter.reset("a");
    await expect(limiter.hit("a")).resolves.toBeUndefined();
  });

  it("starts a new window when the old one ends", async () => {
    const { limiter, advance } = setup(1, 10);
    await limiter.hit("a");
    await expect(limiter.hit("a")).rejects.toMatchObject({ code: "RATE_LIMITED" });
    advance(10_000);
    await expect(limiter.hit("a")).resolves.toBeUndefined();
  });

  it("uses a default in-memory store", async () => {
    const limiter = createRateLimiter({ limit: 1, windowSec: 1 });
    await limiter.hit("k");
    await expect(limiter.hit("k")).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it.each([
    [{ limit: 0, windowSec: 1 }, /limit/],
    [{ limit: 1.5, windowSec: 1 }, /limit/],
    [{ limit: 1, windowSec: 0 }, /windowSec/],
    [{ limit: 1, windowSec: 1, store: {} }, /store/],
  ])("throws TypeError for bad options %#", (options, message) => {
    expect(() => createRateLimiter(options as never)).toThrow(message);
  });

  it("throws TypeError for an empty key", async () => {
    const { limiter } = setup();
    await expect(limiter.hit("")).rejects.toThrow(TypeError);
  });
});

describe("memoryCounterStore", () => {
  it("stays bounded: drops the least recently hit key (never a locked one)", async () => {
    const { store, advance } = setup();
    await store.increment("a", 1);
    await store.increment("b", 60);
    await store.increment("c", 60);
    advance(1_000);
    await store.increment("d", 60); // full: "a", the least recently hit, goes
    expect(await store.increment("a", 60)).toBe(1); // back in; "b" went to make room
    expect(await store.increment("c", 60)).toBe(2);
    expect(await store.increment("b", 60)).toBe(1);
  });

  it("rejects a bad maxKeys", () => {
    expect(() => memoryCounterStore({ maxKeys: 0 })).toThrow(TypeError);
  });
});
