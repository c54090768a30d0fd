import { describe, expect, it } from "vitest";
import { Lru } from "../../src/core/lru.js";

describe("Lru", () => {
  function setup(max: number) {
    const evicted: [string, number][] = [];
    const lru = new Lru<string, number>(max, (key, value) => evicted.push([key, value]));
    return { lru, evicted };
  }

  it("evicts the least recently used entry, a read counting as a use", () => {
    const { lru, evicted } = setup(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1);
    lru.set("c", 3);
    expect(evicted).toEqual([["b", 2]]);
    expect(lru.get("b")).toBeUndefined();
    expect([lru.get("a"), lru.get("c"), lru.size]).toEqual([1, 3, 2]);
  });

  it("replaces the value of a key already held and makes it the newest", () => {
    const { lru, evicted } = setup(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.set("a", 10);
    lru.set("c", 3);
    expect(evicted).toEqual([["b", 2]]);
    expect(lru.get("a")).toBe(10);
  });

  it("deletes without calling onEvict, and keeps its order intact around the hole", () => {
    const { lru, evicted } = setup(3);
    for (const [k, v] of [["a", 1], ["b", 2], ["c", 3]] as const) lru.set(k, v);
    lru.delete("b");
    lru.delete("missing");
    lru.set("d", 4);
    lru.set("e", 5);
    expect(evicted).toEqual([["a", 1]]);
    expect([lru.get("c"), lru.get("d"), lru.get("e"), lru.size]).toEqual([3, 4, 5, 3]);
  });

  it("holds one entry when its bound is one, in every order of use", () => {
    const { lru, evicted } = setup(1);
    lru.set("a", 1);
    expect(lru.get("a")).toBe(1);
    lru.set("b", 2);
    lru.delete("b");
    lru.set("c", 3);
    expect(evicted).toEqual([["a", 1]]);
    expect([lru.get("a"), lru.get("c"), lru.size]).toEqual([undefined, 3, 1]);
  });

  it("agrees with a plain list model under churn far beyond its bound", () => {
    const { lru } = setup(100);
    const model: string[] = [];
    const use = (key: string) => {
      model.splice(model.indexOf(key), 1);
      model.push(key);
    };
    for (let i = 0; i < 5_000; i++) {
      const key = `k${i}`;
      lru.set(key, i);
      model.push(key);
      if (model.length > 100) model.shift();
      const old = `k${i - 50}`;
      if (i % 3 === 0 && lru.get(old) !== undefined) use(old);
      if (i % 7 === 0) {
        lru.delete(`k${i - 20}`);
        if (model.includes(`k${i - 20}`)) model.splice(model.indexOf(`k${i - 20}`), 1);
      }
    }
    expect(lru.size).toBe(model.length);
    for (const key of model) expect(lru.get(key)).toBe(Number(key.slice(1)));
  });

  it("refuses a bound that is not a positive integer", () => {
    for (const max of [0, -1, 1.5, Number.NaN]) expect(() => new Lru(max)).toThrow(RangeError);
  });
});
