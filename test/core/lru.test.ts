import { describe, expect, it } from "vitest";
import { Lru } from "../../src/core/lru.js";

describe("Lru", () => {
  it("never holds more than its capacity and evicts the oldest first", () => {
    const evicted: string[] = [];
    const lru = new Lru<string, number>(3, (key) => evicted.push(key));
    for (const [i, key] of ["a", "b", "c", "d", "e"].entries()) lru.set(key, i);
    expect(lru.size).toBe(3);
    expect(evicted).toEqual(["a", "b"]);
    expect(lru.get("a")).toBeUndefined();
    expect(lru.get("e")).toBe(4);
  });

  it("keeps an entry that is read at least once per half its capacity of writes", () => {
    const lru = new Lru<string, number>(10);
    lru.set("hot", 1);
    for (let i = 0; i < 1_000; i++) {
      lru.set(`cold${i}`, i);
      if (i % 5 === 0) expect(lru.get("hot")).toBe(1);
    }
    expect(lru.size).toBe(10);
    expect(lru.get("cold0")).toBeUndefined();
  });

  it("evicts an entry that is not read again", () => {
    const lru = new Lru<string, number>(4);
    lru.set("once", 1);
    expect(lru.get("once")).toBe(1);
    for (let i = 0; i < 4; i++) lru.set(`k${i}`, i);
    expect(lru.get("once")).toBeUndefined();
  });

  it("replaces the value of a key that is set again, and forgets deleted keys", () => {
    const lru = new Lru<string, string>(2);
    lru.set("a", "old");
    lru.set("a", "new");
    expect(lru.size).toBe(1);
    expect(lru.get("a")).toBe("new");
    lru.delete("a");
    expect(lru.get("a")).toBeUndefined();
    expect(lru.size).toBe(0);
  });

  it("refuses a capacity that is not a positive integer", () => {
    for (const max of [0, -1, 1.5, Number.NaN]) expect(() => new Lru(max)).toThrow(RangeError);
  });
});
