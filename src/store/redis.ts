import type { Redis } from "ioredis";
import type { CounterStore, ReplayStore } from "../core/index.js";

/** Options for the Redis adapters. */
export interface RedisStoreOptions {
  /** Prepended to every key, so several apps can share one Redis. @default "gatehouse:rl:" (counters), "gatehouse:replay:" (replays) */
  prefix?: string;
}

// INCR and the first EXPIRE in one atomic step; the TTL check also repairs a key left without one.
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

function checkRedis(redis: unknown, fn: string): void {
  if (!redis || typeof (redis as { eval?: unknown }).eval !== "function") {
    throw new TypeError(`${fn}: the first argument must be an ioredis client (new Redis(url)).`);
  }
}

function checkPrefix(prefix: unknown, fn: string): string {
  if (typeof prefix !== "string") throw new TypeError(`${fn}: prefix must be a string.`);
  return prefix;
}

function positiveSeconds(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${what} must be a positive number of seconds.`);
  return Math.ceil(value);
}

/**
 * Fixed-window counters shared by every node, for rate limits. The window starts at the
 * first increment of a key and lasts `windowSec`.
 * @throws TypeError for a missing client or invalid prefix.
 * @example
 * const counters = redisCounterStore(new Redis(process.env.REDIS_URL));
 */
export function redisCounterStore(redis: Redis, options: RedisStoreOptions = {}): CounterStore {
  checkRedis(redis, "redisCounterStore");
  const prefix = checkPrefix(options.prefix ?? "gatehouse:rl:", "redisCounterStore");
  return Object.freeze({
    async increment(key: string, windowSec: number): Promise<number> {
      const ttl = positiveSeconds(windowSec, "redisCounterStore.increment: windowSec");
      const count = await redis.eval(INCREMENT, 1, prefix + key, ttl);
      return Number(count);
    },
    async reset(key: string): Promise<void> {
      await redis.del(prefix + key);
    },
  });
}

/**
 * Replay detection shared by every node: `SET key NX EX ttl` records a key atomically,
 * so two nodes receiving the same webhook at once cannot both accept it.
 * @throws TypeError for a missing client or invalid prefix.
 */
export function redisReplayStore(redis: Redis, options: RedisStoreOptions = {}): ReplayStore {
  checkRedis(redis, "redisReplayStore");
  const prefix = checkPrefix(options.prefix ?? "gatehouse:replay:", "redisReplayStore");
  return Object.freeze({
    async seen(key: string, ttlSec: number): Promise<boolean> {
      const ttl = positiveSeconds(ttlSec, "redisReplayStore.seen: ttlSec");
      const result = await redis.set(prefix + key, "1", "EX", ttl, "NX");
      return result !== "OK";
    },
  });
}
