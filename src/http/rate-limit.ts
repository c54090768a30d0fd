import { RateLimitedError, type CounterStore } from "../core/index.js";

/** Options for {@link memoryCounterStore}. */
export interface MemoryCounterStoreOptions {
  /** Most keys under their limit kept; beyond it the least recently hit one is dropped. @default 10000 */
  maxKeys?: number;
  /**
   * Most keys over their limit (locked) kept. A locked key is never dropped
   * before its window ends; when this many are locked at once, keys the store
   * does not know yet are refused (counted as over any limit) until locks expire.
   * @default maxKeys
   */
  maxLockedKeys?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

interface Counter {
  count: number;
  resetAt: number;
}

/** What `increment` returns for a new key while the locked keys fill the store: over any limit. */
const SATURATED = Number.MAX_SAFE_INTEGER;

/**
 * In-process fixed-window counters, bounded in memory. Per process only: when
 * several instances serve the API, use a shared store (Redis in `gatehouse/store`).
 *
 * Keys under their limit live in a least-recently-hit order and the oldest is
 * dropped to make room (O(1)); keys over their limit (the `limit` the rate
 * limiter passes) are kept apart and never dropped before their window ends,
 * so a flood of fresh keys cannot unlock a locked one.
 */
export function memoryCounterStore(options: MemoryCounterStoreOptions = {}): CounterStore {
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new TypeError("memoryCounterStore: `maxKeys` must be a positive integer.");
  const maxLocked = options.maxLockedKeys ?? maxKeys;
  if (!Number.isInteger(maxLocked) || maxLocked < 1) throw new TypeError("memoryCounterStore: `maxLockedKeys` must be a positive integer.");
  const now = options.now ?? Date.now;
  // Map iteration order is insertion order: re-inserting on each hit makes the first key the least recently hit.
  const open = new Map<string, Counter>();
  // Insertion order is lock order, so the first lock is also the first to expire (for one window length).
  const locked = new Map<string, Counter>();

  /** Frees lock slots whose windows have ended; stops at the first live one (amortised O(1)). */
  function dropExpiredLocks(at: number): void {
    for (const [key, entry] of locked) {
      if (entry.resetAt > at) break;
      locked.delete(key);
    }
  }

  return {
    async increment(key, windowSec, limit) {
      const at = now();
      const windowMs = windowSec * 1000;
      const live = (entry: Counter | undefined) => (entry && entry.resetAt > at ? entry : undefined);
      const held = live(locked.get(key));
      if (held) return ++held.count;
      locked.delete(key);

      let entry = live(open.get(key));
      open.delete(key);
      if (!entry) {
        if (locked.size >= maxLocked) dropExpiredLocks(at);
        // Every lock slot holds a live lock: admitting a new key could push a key that is
        // about to lock out of the store, so new keys are refused (fail closed) until locks expire.
        if (locked.size >= maxLocked) return SATURATED;
        if (open.size >= maxKeys) {
          // The least recently hit key under its limit makes room: never a locked one. O(1).
          const oldest = open.keys().next();
          if (!oldest.done) open.delete(oldest.value);
        }
        // Windows are aligned to the clock so every instance agrees on their edges.
        entry = { count: 0, resetAt: (Math.floor(at / windowMs) + 1) * windowMs };
      }
      entry.count++;
      if (limit !== undefined && entry.count > limit) {
        if (locked.size >= maxLocked) dropExpiredLocks(at);
        // With every lock slot taken the key stays under `open`; no new key is admitted meanwhile, so nothing evicts it.
        (locked.size < maxLocked ? locked : open).set(key, entry);
        return entry.count;
      }
      open.set(key, entry);
      return entry.count;
    },
    async reset(key) {
      open.delete(key);
      locked.delete(key);
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
      // The limit lets a bounded store keep locked keys (over the limit) out of its eviction.
      const count = await store.increment(key, windowSec, limit);
      if (count > limit) throw new RateLimitedError("Too many requests.", windowSec);
    },
    async reset(key) {
      await store.reset(key);
    },
  };
}
