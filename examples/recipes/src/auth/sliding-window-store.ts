import type { CounterStore } from "gatehouse";

/** Options for {@link slidingWindowCounterStore}. */
export interface SlidingWindowOptions {
  /** Hits remembered per key; counts above it read as `keep`. Set it to the limit + 1. @default 11 */
  keep?: number;
  /** Most keys under their limit kept; the least recently hit goes first. @default 10000 */
  maxKeys?: number;
  /** Most keys over their limit (locked) kept; when all are live, new keys are refused. @default maxKeys */
  maxLockedKeys?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/**
 * A `CounterStore` whose window slides: `increment` returns the hits of the
 * last `windowSec` seconds, so "more than 10 failures within a minute" holds
 * however the attempts straddle a clock minute (a fixed window would forget
 * them at each boundary). Memory is bounded by `keep` × (`maxKeys` +
 * `maxLockedKeys`). One process only.
 *
 * A key holding `keep` hits (over the limit) is locked: it is kept apart and
 * never dropped to make room for new keys, so a flood of fresh usernames
 * cannot unlock it. When every lock slot holds a live lock, keys the store
 * does not know are refused (counted as over the limit) until one ages out.
 */
export function slidingWindowCounterStore(options: SlidingWindowOptions = {}): CounterStore {
  const keep = options.keep ?? 11;
  const maxKeys = options.maxKeys ?? 10_000;
  const maxLocked = options.maxLockedKeys ?? maxKeys;
  if (!Number.isInteger(keep) || keep < 1) throw new TypeError("slidingWindowCounterStore: keep must be a positive integer.");
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new TypeError("slidingWindowCounterStore: maxKeys must be a positive integer.");
  if (!Number.isInteger(maxLocked) || maxLocked < 1) throw new TypeError("slidingWindowCounterStore: maxLockedKeys must be a positive integer.");
  const now = options.now ?? Date.now;
  // Map order: least recently hit first.
  const hits = new Map<string, number[]>();
  // Keys over the limit, in lock order; never evicted, only aged out.
  const locked = new Map<string, number[]>();

  /** Frees lock slots from the front while their oldest hit has aged out (amortised O(1)). */
  function dropAgedLocks(since: number): void {
    for (const [key, times] of locked) {
      if (times[times.length - keep]! > since) break;
      locked.delete(key);
    }
  }

  return {
    async increment(key, windowSec) {
      const at = now();
      const since = at - windowSec * 1000;
      const known = locked.get(key) ?? hits.get(key);
      locked.delete(key);
      hits.delete(key);
      if (!known) {
        if (locked.size >= maxLocked) dropAgedLocks(since);
        if (locked.size >= maxLocked) return keep;
      }
      const recent = (known ?? []).filter((t) => t > since);
      recent.push(at);
      if (recent.length > keep) recent.splice(0, recent.length - keep);
      if (recent.length >= keep && locked.size < maxLocked) {
        locked.set(key, recent);
        return recent.length;
      }
      hits.set(key, recent);
      const oldest = hits.keys().next();
      if (hits.size > maxKeys && !oldest.done) hits.delete(oldest.value);
      return recent.length;
    },
    async reset(key) {
      hits.delete(key);
      locked.delete(key);
    },
  };
}
