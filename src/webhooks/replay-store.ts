/**
 * The default replay store: bounded, in memory, one process.
 * @module
 */
import type { ReplayStore } from "../core/index.js";

/** Options of {@link memoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /**
   * Most keys kept at once; past it the oldest entry is dropped, so memory
   * stays bounded even under a flood of valid deliveries.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Current time in milliseconds (injectable for tests).
   * @default Date.now
   */
  now?: () => number;
}

/**
 * Creates an in-memory {@link ReplayStore}: each key is remembered for its
 * TTL. Only valid deliveries are recorded (verification runs first), so only
 * the holder of the secret can fill it. For several server processes use a
 * shared store (Redis, `gatehouse/store`), since each process has its own memory.
 * @throws TypeError when `maxEntries` is not a positive integer
 * @example
 * const replayStore = memoryReplayStore({ maxEntries: 50_000 });
 * await verifyWebhook("standard", { payload, headers, secret, replayStore });
 */
export function memoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError("memoryReplayStore: `maxEntries` must be a positive integer.");
  }
  if (typeof now !== "function") throw new TypeError("memoryReplayStore: `now` must be a function returning milliseconds.");
  // Map keeps insertion order: the first entries are the oldest.
  const expiries = new Map<string, number>();

  function sweep(at: number): void {
    for (const [key, expiresAt] of expiries) {
      if (expiresAt > at) break;
      expiries.delete(key);
    }
  }

  return {
    async seen(key: string, ttlSec: number): Promise<boolean> {
      const at = now();
      const existing = expiries.get(key);
      if (existing !== undefined && existing > at) return true;
      expiries.delete(key);
      sweep(at);
      expiries.set(key, at + Math.max(1, ttlSec) * 1000);
      while (expiries.size > maxEntries) expiries.delete(expiries.keys().next().value!);
      return false;
    },
  };
}
