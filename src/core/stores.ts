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
   * @returns the count after incrementing.
   */
  increment(key: string, windowSec: number): Promise<number>;
  /** Clears the counter for `key` (e.g. after a successful login). */
  reset(key: string): Promise<void>;
}
