/** One entry, linked from the least to the most recently used. */
interface Node<K, V> {
  key: K;
  value: V;
  newer: Node<K, V> | undefined;
  older: Node<K, V> | undefined;
}

/**
 * A small LRU map, oldest evicted first. The use order is a linked list beside the Map, so a hit
 * only relinks its entry: re-inserting a key in a Map on every hit leaves a deleted slot behind each
 * time, and finding the oldest key through the Map's iterator walks over those slots.
 * @internal
 */
export class Lru<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, Node<K, V>>();
  #newest: Node<K, V> | undefined;
  #oldest: Node<K, V> | undefined;

  constructor(max: number, private readonly onEvict?: (key: K, value: V) => void) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError("Lru: `max` must be a positive integer.");
    this.#max = max;
  }

  get(key: K): V | undefined {
    const node = this.#map.get(key);
    if (node === undefined) return undefined;
    this.#touch(node);
    return node.value;
  }

  set(key: K, value: V): void {
    const node = this.#map.get(key);
    if (node !== undefined) {
      node.value = value;
      this.#touch(node);
      return;
    }
    const added: Node<K, V> = { key, value, newer: undefined, older: this.#newest };
    if (this.#newest) this.#newest.newer = added;
    else this.#oldest = added;
    this.#newest = added;
    this.#map.set(key, added);
    while (this.#map.size > this.#max) {
      const oldest = this.#oldest!;
      this.#unlink(oldest);
      this.#map.delete(oldest.key);
      this.onEvict?.(oldest.key, oldest.value);
    }
  }

  delete(key: K): void {
    const node = this.#map.get(key);
    if (node === undefined) return;
    this.#unlink(node);
    this.#map.delete(key);
  }

  get size(): number {
    return this.#map.size;
  }

  /** Makes `node` the most recently used. */
  #touch(node: Node<K, V>): void {
    if (node === this.#newest) return;
    this.#unlink(node);
    node.older = this.#newest;
    this.#newest!.newer = node;
    this.#newest = node;
  }

  #unlink(node: Node<K, V>): void {
    if (node.newer) node.newer.older = node.older;
    else this.#newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else this.#oldest = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }
}
