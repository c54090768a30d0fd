/**
 * Small storage interfaces shared by several areas, with memory defaults in
 * the areas that use them and a Redis implementation in `gatehouse/store`.
 */

/** Remembers ids (webhook ids, signatures, token ids) to reject replays. */
export interface ReplayStore {
  /**
   * Atomically records `key` for `ttlSec` seconds.
   * @returns `true` when the key was already present (a replay), `false` when it was new.
   */
  seen(key: string, ttlSec: number): Promise<boolean>;
}

/** Shared counters for fixed-window rate limits. */
export interface CounterStore {
  /**
   * Increments the counter for `key` in the current window of `windowSec` seconds.
   * `limit` is the most hits the caller allows per window (rate limiters pass it):
   * a bounded store must never evict a key whose count is over it, or fresh keys
   * would unlock a locked one. Stores that never evict may ignore it.
   * @returns the count after incrementing.
   */
  increment(key: string, windowSec: number, limit?: number): Promise<number>;
  /** Clears the counter for `key` (e.g. after a successful login). */
  reset(key: string): Promise<void>;
}
