/**
 * A small bounded map that evicts the least recently used entries first.
 *
 * Recency is kept by the insertion order of a Map. Moving an entry to the
 * end on every hit (delete, then set) is what makes a plain Map-based LRU
 * slow on hot paths: each move leaves a hole in the Map's table, and the
 * holes force regular rehashing and garbage. Here a hit moves its entry
 * only when half the capacity of writes or more happened since its
 * last move, so an entry read at least once per `max / 2` writes is never
 * evicted, and a hot entry costs one lookup. @internal
 */
export class Lru<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, { value: V; stamp: number }>();
  /** Counts writes (inserts and moves): an entry's age is `#clock - stamp`. */
  #clock = 0;
  constructor(
    max: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError("Lru: `max` must be a positive integer.");
    this.#max = max;
  }

  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (this.#clock - entry.stamp >= this.#max >> 1) {
      this.#map.delete(key);
      entry.stamp = ++this.#clock;
      this.#map.set(key, entry);
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, { value, stamp: ++this.#clock });
    while (this.#map.size > this.#max) {
      const [oldest, old] = this.#map.entries().next().value as [K, { value: V }];
      this.#map.delete(oldest);
      this.onEvict?.(oldest, old.value);
    }
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  get size(): number {
    return this.#map.size;
  }
}
