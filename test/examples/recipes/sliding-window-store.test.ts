import { describe, expect, it } from "vitest";
import { slidingWindowCounterStore } from "../../../examples/recipes/src/auth/sliding-window-store.js";

describe("slidingWindowCounterStore", () => {
  function setup(options: { keep?: number; maxKeys?: number } = {}) {
    let clock = 1_000_000;
    const store = slidingWindowCounterStore({ ...options, now: () => clock });
    return { store, advance: (ms: number) => (clock += ms) };
  }

  it("counts hits of the last windowSec, across a clock-minute boundary", async () => {
    const { store, advance } = setup();
    for (let i = 1; i <= 5; i++) expect(await store.increment("k", 60)).toBe(i);
    advance(50_000);
    for (let i = 6; i <= 10; i++) expect(await store.increment("k", 60)).toBe(i);
    advance(11_000); // the first five are now older than 60 s
    expect(await store.increment("k", 60)).toBe(6);
  });

  it("caps what it remembers per key at `keep`", async () => {
    const { store } = setup({ keep: 3 });
    for (let i = 0; i < 10; i++) await store.increment("k", 60);
    expect(await store.increment("k", 60)).toBe(3);
  });

  it("resets one key and keeps keys apart", async () => {
    const { store } = setup();
    await store.increment("a", 60);
    await store.increment("b", 60);
    await store.reset("a");
    expect(await store.increment("a", 60)).toBe(1);
    expect(await store.increment("b", 60)).toBe(2);
  });

  it("evicts the least recently hit key beyond maxKeys", async () => {
    const { store } = setup({ maxKeys: 2 });
    await store.increment("a", 60);
    await store.increment("b", 60);
    await store.increment("a", 60);
    await store.increment("c", 60); // evicts b
    expect(await store.increment("b", 60)).toBe(1);
  });

  it("rejects invalid options with a TypeError", () => {
    expect(() => slidingWindowCounterStore({ keep: 0 })).toThrow(TypeError);
    expect(() => slidingWindowCounterStore({ maxKeys: 1.5 })).toThrow(TypeError);
  });
});

describe("slidingWindowCounterStore under a flood of fresh keys", () => {
  function setup(options: { keep?: number; maxKeys?: number; maxLockedKeys?: number } = {}) {
    let clock = 1_000_000;
    const store = slidingWindowCounterStore({ ...options, now: () => clock });
    return { store, advance: (ms: number) => (clock += ms) };
  }

  it("never evicts a locked key to make room", async () => {
    const { store } = setup({ keep: 3, maxKeys: 2 });
    for (let i = 0; i < 3; i++) await store.increment("joe", 60);
    for (let i = 0; i < 100; i++) await store.increment(`fresh-${i}`, 60);
    expect(await store.increment("joe", 60)).toBe(3);
  });

  it("refuses new keys while every lock slot is live, and admits them once locks age out", async () => {
    const { store, advance } = setup({ keep: 2, maxKeys: 5, maxLockedKeys: 1 });
    await store.increment("a", 60);
    await store.increment("a", 60);
    expect(await store.increment("new", 60)).toBe(2);
    advance(61_000);
    expect(await store.increment("new", 60)).toBe(1);
  });
});
