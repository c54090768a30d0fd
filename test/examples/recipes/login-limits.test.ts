// The example's building blocks for logins under load: the hash gate, the
// client address, the readiness probe and the CORS policy.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import type { Db } from "gatehouse/store";
import { createHashGate } from "../../../examples/recipes/src/auth/hash-gate.js";
import { clientAddress, trustedProxyHopsFrom } from "../../../examples/recipes/src/http/client-address.js";
import { createCorsPolicy } from "../../../examples/recipes/src/http/cors.js";
import { createReadiness } from "../../../examples/recipes/src/http/health.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("createHashGate", () => {
  it("runs at most `concurrency` checks at once; the rest wait their turn", async () => {
    const gate = createHashGate({ concurrency: 2, maxWaiting: 5 });
    let running = 0;
    let peak = 0;
    const releases = Array.from({ length: 5 }, deferred);
    const runs = releases.map((d, i) =>
      gate.run(`client-${i}`, async () => {
        peak = Math.max(peak, ++running);
        await d.promise;
        running--;
        return i;
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(running).toBe(2);
    for (const d of releases) d.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it("refuses a second concurrent check from one client with RATE_LIMITED and Retry-After 1", async () => {
    const gate = createHashGate();
    const d = deferred();
    const first = gate.run("1.2.3.4", () => d.promise);
    await expect(gate.run("1.2.3.4", async () => "second")).rejects.toMatchObject({ code: "RATE_LIMITED", retryAfterSec: 1 });
    await expect(gate.run("5.6.7.8", async () => "other")).resolves.toBe("other");
    d.resolve();
    await first;
    await expect(gate.run("1.2.3.4", async () => "again")).resolves.toBe("again");
  });

  it("refuses when the waiting line is full, and frees slots when a check throws", async () => {
    const gate = createHashGate({ concurrency: 1, maxWaiting: 1 });
    const d = deferred();
    const first = gate.run("a", () => d.promise);
    const second = gate.run("b", async () => "b");
    await expect(gate.run("c", async () => "c")).rejects.toMatchObject({ code: "RATE_LIMITED" });
    d.resolve();
    await first;
    expect(await second).toBe("b");
    await expect(gate.run("d", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(gate.run("d", async () => "after")).resolves.toBe("after");
  });

  it("rejects bad options", () => {
    expect(() => createHashGate({ concurrency: 0 })).toThrow(TypeError);
    expect(() => createHashGate({ maxWaiting: -1 })).toThrow(TypeError);
  });
});

describe("clientAddress", () => {
  const req = (remoteAddress: string | undefined, xff?: string) =>
    ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { "x-forwarded-for": xff } }) as unknown as IncomingMessage;

  it("uses the socket address and ignores X-Forwarded-For by default", () => {
    expect(clientAddress(req("10.1.1.1", "1.2.3.4"))).toBe("10.1.1.1");
    expect(clientAddress(req("::ffff:127.0.0.1"))).toBe("127.0.0.1");
    expect(clientAddress(req(undefined))).toBe("unknown");
  });

  it("with N trusted hops takes the entry N from the right", () => {
    expect(clientAddress(req("10.0.0.1", "6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(req("10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    // Fewer entries than hops: the leftmost known one.
    expect(clientAddress(req("10.0.0.1"), 1)).toBe("10.0.0.1");
    expect(clientAddress(req("10.0.0.1", "x".repeat(500)), 1)).toHaveLength(64);
  });

  it("reads TRUST_PROXY strictly", () => {
    expect(trustedProxyHopsFrom(undefined)).toBe(0);
    expect(trustedProxyHopsFrom(" ")).toBe(0);
    expect(trustedProxyHopsFrom("2")).toBe(2);
    for (const bad of ["true", "-1", "1.5", "99"]) expect(() => trustedProxyHopsFrom(bad), bad).toThrow(TypeError);
  });
});

describe("createReadiness", () => {
  const db = (query: () => Promise<{ rows: Array<{ id: string }> }>) => ({ query }) as unknown as Db;

  it("ready when every migration id is recorded; not migrated when one is missing or the table is gone", async () => {
    expect(await createReadiness({ db: db(async () => ({ rows: [{ id: "a" }, { id: "b" }] })), migrationIds: ["a", "b"] }).check()).toBeNull();
    expect(await createReadiness({ db: db(async () => ({ rows: [{ id: "a" }] })), migrationIds: ["a", "b"] }).check()).toBe("database not migrated");
    const gone = Object.assign(new Error("relation does not exist"), { code: "42P01" });
    expect(await createReadiness({ db: db(() => Promise.reject(gone)), migrationIds: ["a"] }).check()).toBe("database not migrated");
    expect(await createReadiness({ db: db(() => Promise.reject(new Error("ECONNREFUSED"))), migrationIds: ["a"] }).check()).toBe("database unreachable");
  });

  it("reuses one answer for cacheMs", async () => {
    let calls = 0;
    let now = 0;
    const readiness = createReadiness({ db: db(async () => (calls++, { rows: [{ id: "a" }] })), migrationIds: ["a"], cacheMs: 1000, now: () => now });
    await Promise.all([readiness.check(), readiness.check()]);
    now = 999;
    await readiness.check();
    expect(calls).toBe(1);
    now = 1000;
    await readiness.check();
    expect(calls).toBe(2);
  });
});

describe("createCorsPolicy", () => {
  const req = (origin?: string) => ({ headers: origin ? { origin } : {} }) as unknown as IncomingMessage;

  it("answers listed origins only, never with credentials", () => {
    const cors = createCorsPolicy(["https://app.example.com"]);
    expect(cors.headersFor(req("https://app.example.com"))).toEqual({ "access-control-allow-origin": "https://app.example.com", vary: "Origin" });
    expect(cors.headersFor(req("https://evil.example"))).toEqual({ vary: "Origin" });
    expect(cors.headersFor(req("null"))).toEqual({ vary: "Origin" });
    expect(createCorsPolicy([]).headersFor(req("https://app.example.com"))).toEqual({});
  });
});
