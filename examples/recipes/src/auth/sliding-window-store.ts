import type { CounterStore } from "gatehouse";

/** Options for {@link slidingWindowCounterStore}. */
export interface SlidingWindowOptions {
  /** Hits remembered per key; counts above it read as `keep`. Set it to the limit + 1. @default 11 */
  keep?: number;
  /** Most keys kept; the least recently hit goes first. @default 10000 */
  maxKeys?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/**
 * A `CounterStore` whose window slides: `increment` returns the hits of the
 * last `windowSec` seconds, so "more than 10 failures within a minute" holds
 * however the attempts straddle a clock minute (a fixed window would forget
 * them at each boundary). Memory is bounded by `keep` × `maxKeys`. One process only.
 */
export function slidingWindowCounterStore(options: SlidingWindowOptions = {}): CounterStore {
  const keep = options.keep ?? 11;
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(keep) || keep < 1) throw new TypeError("slidingWindowCounterStore: keep must be a positive integer.");
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new TypeError("slidingWindowCounterStore: maxKeys must be a positive integer.");
  const now = options.now ?? Date.now;
  const hits = new Map<string, number[]>();

  return {
    async increment(key, windowSec) {
      const at = now();
      const recent = (hits.get(key) ?? []).filter((t) => t > at - windowSec * 1000);
      recent.push(at);
      if (recent.length > keep) recent.splice(0, recent.length - keep);
      // Re-insert so Map order is least-recently-hit first, then evict from the front.
      hits.delete(key);
      hits.set(key, recent);
      for (const oldest of hits.keys()) {
        if (hits.size <= maxKeys) break;
        hits.delete(oldest);
      }
      return recent.length;
    },
    async reset(key) {
      hits.delete(key);
    },
  };
}
