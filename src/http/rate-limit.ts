import { RateLimitedError, type CounterStore } from "../core/index.js";

/** Options for {@link memoryCounterStore}. */
export interface MemoryCounterStoreOptions {
  /** Most keys kept; beyond it expired windows, then the oldest keys, are dropped. @default 10000 */
  maxKeys?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/**
 * In-process fixed-window counters, bounded in memory. Per process only: when
 * several instances serve the API, use a shared store (Redis in `gatehouse/store`),
 * and note that a full store evicts the oldest counters.
 */
export function memoryCounterStore(options: MemoryCounterStoreOptions = {}): CounterStore {
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new TypeError("memoryCounterStore: `maxKeys` must be a positive integer.");
  const now = options.now ?? Date.now;
  const counters = new Map<string, { count: number; resetAt: number }>();

  function evict(at: number): void {
    for (const [key, entry] of counters) if (entry.resetAt <= at) counters.delete(key);
    // Still full: drop the oldest insertions (Map keeps insertion order).
    for (const key of counters.keys()) {
      if (counters.size < maxKeys) break;
      counters.delete(key);
    }
  }

  return {
    async increment(key, windowSec) {
      const at = now();
      const windowMs = windowSec * 1000;
      const entry = counters.get(key);
      if (entry && entry.resetAt > at) return ++entry.count;
      if (entry) counters.delete(key);
      else if (counters.size >= maxKeys) evict(at);
      // Windows are aligned to the clock so every instance agrees on their edges.
      counters.set(key, { count: 1, resetAt: (Math.floor(at / windowMs) + 1) * windowMs });
      return 1;
    },
    async reset(key) {
      counters.delete(key);
    },
  };
}

/** Options for {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Hits allowed per window. */
  limit: number;
  /** Window length in seconds. */
  windowSec: number;
  /** Where counts live. @default memoryCounterStore() */
  store?: CounterStore;
}

/** A fixed-window rate limiter. */
export interface RateLimiter {
  /** Counts one hit for `key`. @throws RateLimitedError (`RATE_LIMITED`) when over the limit. */
  hit(key: string): Promise<void>;
  /** Clears `key`'s counter, e.g. after a successful login. */
  reset(key: string): Promise<void>;
}

/**
 * Limits hits per key (client IP, key id, user) in fixed windows, e.g. to slow
 * down credential guessing. `Retry-After` is the window length (an upper bound).
 * @example
 * const limiter = createRateLimiter({ limit: 10, windowSec: 60 });
 * await limiter.hit(`login:${ip}`); // throws RateLimitedError on the 11th hit within a minute
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowSec } = options ?? ({} as RateLimiterOptions);
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError("createRateLimiter: `limit` must be a positive integer.");
  if (!Number.isInteger(windowSec) || windowSec < 1) throw new TypeError("createRateLimiter: `windowSec` must be a positive integer (seconds).");
  const store = options.store ?? memoryCounterStore();
  if (typeof store.increment !== "function" || typeof store.reset !== "function") {
    throw new TypeError("createRateLimiter: `store` must implement CounterStore (increment, reset).");
  }
  return {
    async hit(key) {
      if (typeof key !== "string" || key === "") throw new TypeError("RateLimiter.hit: `key` must be a non-empty string.");
      const count = await store.increment(key, windowSec);
      if (count > limit) throw new RateLimitedError("Too many requests.", windowSec);
    },
    async reset(key) {
      await store.reset(key);
    },
  };
}
