import { describe, expect, it } from "vitest";
import { memoryReplayStore } from "gatehouse/webhooks";

function setup(maxEntries?: number) {
  let clock = 1_000_000;
  const store = memoryReplayStore({ ...(maxEntries !== undefined && { maxEntries }), now: () => clock });
  return { store, advance: (ms: number) => (clock += ms) };
}

describe("memoryReplayStore", () => {
  it("reports a key seen within its TTL", async () => {
    const { store } = setup();
    await expect(store.seen("k", 60)).resolves.toBe(false);
    await expect(store.seen("k", 60)).resolves.toBe(true);
    await expect(store.seen("other", 60)).resolves.toBe(false);
  });

  it("forgets a key after its TTL", async () => {
    const { store, advance } = setup();
    await store.seen("k", 60);
    advance(59_999);
    await expect(store.seen("k", 60)).resolves.toBe(true);
    advance(60_001);
    await expect(store.seen("k", 60)).resolves.toBe(false);
  });

  it("stays bounded: the oldest entry is dropped past maxEntries", async () => {
    const { store } = setup(2);
    await store.seen("a", 60);
    await store.seen("b", 60);
    await store.seen("c", 60);
    await expect(store.seen("c", 60)).resolves.toBe(true);
    await expect(store.seen("b", 60)).resolves.toBe(true);
    await expect(store.seen("a", 60)).resolves.toBe(false);
  });

  it("treats a TTL below one second as one second", async () => {
    const { store, advance } = setup();
    await store.seen("k", 0);
    advance(999);
    await expect(store.seen("k", 0)).resolves.toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN])("throws a TypeError for maxEntries %s", (maxEntries) => {
    expect(() => memoryReplayStore({ maxEntries })).toThrow(TypeError);
  });

  it("throws a TypeError for a non-function clock", () => {
    expect(() => memoryReplayStore({ now: 5 as never })).toThrow(TypeError);
  });
});
