/** A small LRU map (insertion-ordered Map, oldest evicted first). @internal */
export class Lru<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  constructor(max: number, private readonly onEvict?: (key: K, value: V) => void) {
    this.#max = max;
  }
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value as K;
      const old = this.#map.get(oldest) as V;
      this.#map.delete(oldest);
      this.onEvict?.(oldest, old);
    }
  }
  delete(key: K): void {
    this.#map.delete(key);
  }
  get size(): number {
    return this.#map.size;
  }
}
