// Logins stay usable under a flood: 40 connections from one address posting
// unknown usernames (each a full scrypt before the fix) are mostly refused
// with 429 before any hashing, and a real login from another address
// succeeds meanwhile (its latency ratio is printed with GATEHOUSE_PRINT_RATIO). Loopback only:
// the flood comes from 127.0.0.1, the real user from 127.0.0.2.
import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./fixtures/app.js";

interface Answer {
  status: number;
  ms: number;
  retryAfter?: string;
}

function post(
  t: TestApp,
  body: unknown,
  options: { localAddress?: string; agent?: Agent; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = performance.now();
  const url = new URL("/auth/login", t.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", localAddress: options.localAddress, agent: options.agent ?? false, headers: { "content-type": "application/json", ...options.headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, retryAfter: res.headers["retry-after"] as string | undefined }));
      },
    );
    req.on("error", reject);
    // A login stuck behind the flood is a failure with a number, not a test timeout.
    if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => (resolve({ status: 0, ms: Infinity }), req.destroy()));
    req.end(JSON.stringify(body));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("login under a flood from one address", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t?.app.close();
  });

  const realLogin = (timeoutMs?: number) => post(t, { username: "joe", password: "joe-password" }, { localAddress: "127.0.0.2", timeoutMs });

  it("a login from another address succeeds while the flood is refused cheaply", async () => {
    await realLogin(); // warm-up: JIT, scrypt buffers
    const idle: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await realLogin();
      expect(a.status).toBe(200);
      idle.push(a.ms);
    }

    let stop = false;
    const flood: Answer[] = [];
    const agent = new Agent({ keepAlive: true, maxSockets: 40 });
    const floodLoop = async (n: number) => {
      for (let i = 0; !stop && i < 2_000; i++) {
        flood.push(await post(t, { username: `nobody-${n}-${i}`, password: "guess" }, { agent, localAddress: "127.0.0.1" }));
      }
    };
    const loops = Array.from({ length: 40 }, (_, n) => floodLoop(n));
    await new Promise((r) => setTimeout(r, 300)); // the flood is under way

    const during: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await realLogin(Math.max(5_000, 20 * median(idle)));
      statuses.push(a.status);
      during.push(a.ms);
    }
    // Flood refusals are answered after a delay (1 s by default): let some arrive
    // whatever the speed of the real logins, then stop the flood.
    for (let waited = 0; flood.length <= 40 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    stop = true;
    agent.destroy();
    await Promise.allSettled(loops);

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // The latency itself is reported, not asserted: on a shared machine it measures the neighbours too.
    // What keeps logins usable is asserted below: the flood is refused before any password hashing.
    const ratio = median(during) / median(idle);
    if (process.env.GATEHOUSE_PRINT_RATIO) console.log(`login ratio ${ratio.toFixed(2)} idle ${idle.map((m) => m.toFixed(0)).join("/")} during ${during.map((m) => m.toFixed(0)).join("/")} flood ${flood.length}`);
    // The flood itself was answered — mostly by cheap refusals (429 + Retry-After), never a 5xx.
    expect(flood.length).toBeGreaterThan(40);
    expect(flood.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    const refused = flood.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(flood.length / 2);
    expect(refused.every((a) => a.retryAfter !== undefined && Number(a.retryAfter) >= 1)).toBe(true);
  }, 60_000);

  it("limits attempts per address too, and never trusts a spoofed X-Forwarded-For for it", async () => {
    const fresh = await startApp({ maxLoginAttemptsPerAddress: 5 });
    try {
      // A fresh X-Forwarded-For per attempt: by default the socket address counts, so it is one address.
      const spoofed = (i: number) =>
        post(fresh, { username: `nobody-${i}`, password: "x" }, { localAddress: "127.0.0.3", headers: { "x-forwarded-for": `10.0.0.${i}` } });
      for (let i = 0; i < 5; i++) expect((await spoofed(i)).status).toBe(401);
      const refused = await spoofed(5);
      expect(refused.status).toBe(429);
      expect(refused.retryAfter).toBe("60");
      // Another address is untouched, and so is the user's own bucket.
      expect((await post(fresh, { username: "joe", password: "joe-password" }, { localAddress: "127.0.0.4" })).status).toBe(200);
    } finally {
      await fresh.app.close();
    }
  }, 60_000);

  it("behind a trusted proxy (trustedProxyHops: 1) the last X-Forwarded-For entry is the client", async () => {
    const fresh = await startApp({ maxLoginAttemptsPerAddress: 2, trustedProxyHops: 1 });
    try {
      const via = (xff: string) => post(fresh, { username: "nobody", password: "x" }, { headers: { "x-forwarded-for": xff } });
      expect((await via("203.0.113.9")).status).toBe(401);
      // The client prepends junk; the proxy's entry (the last) still names it.
      expect((await via("1.1.1.1, 203.0.113.9")).status).toBe(401);
      expect((await via("2.2.2.2, 203.0.113.9")).status).toBe(429);
      expect((await via("198.51.100.7")).status).toBe(401);
    } finally {
      await fresh.app.close();
    }
  }, 60_000);
});
