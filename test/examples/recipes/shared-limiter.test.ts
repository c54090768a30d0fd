// The login limiter with REDIS_URL set: shared counts, and a documented fail-closed answer while Redis is down.
import { createServer, type Server } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { login, startApp, type TestApp } from "./helpers.js";

const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL;

describe("login limiter on Redis", () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((t) => t.app.close()));
  });

  it("fails closed while Redis is unreachable: 503 LIMITER_UNAVAILABLE, no password tried, logged", async () => {
    // A port that accepts nothing: take a free one, then close it.
    const port = await new Promise<number>((resolve) => {
      const s: Server = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const t = await startApp({ redisUrl: `redis://127.0.0.1:${port}` });
    apps.push(t);
    const res = await login(t.url, "joe");
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: "LIMITER_UNAVAILABLE", message: expect.any(String) } });
    expect(t.logs.some((l) => (l.level as number) >= 50 && String(l.msg).includes("fail closed"))).toBe(true);
    // The rest of the API does not depend on Redis.
    const gql = await fetch(`${t.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ recipes { title } }" }) });
    expect(gql.status).toBe(200);
  });

  it.skipIf(!REDIS_URL)("counts attempts in Redis, shared by two apps [redis]", async () => {
    // Test runs share one Redis and one client address: only the username limit is under test here.
    const one = await startApp({ redisUrl: REDIS_URL, maxLoginAttemptsPerAddress: 10_000 });
    const two = await startApp({ redisUrl: REDIS_URL, maxLoginAttemptsPerAddress: 10_000 });
    apps.push(one, two);
    const username = `nobody-${randomBytes(6).toString("hex")}`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(i % 2 ? one.url : two.url, username, "wrong")).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    // A good login resets the count.
    expect((await login(one.url, "joe")).status).toBe(200);
  });

  it.skipIf(!REDIS_URL)("counts attempts per client address in Redis too, shared by two apps [redis]", async () => {
    // Behind a trusted proxy, so this test's client address is its own (Redis outlives the run).
    const options = { redisUrl: REDIS_URL, trustedProxyHops: 1, maxLoginAttemptsPerAddress: 3 };
    const one = await startApp(options);
    const two = await startApp(options);
    apps.push(one, two);
    const address = `10.${randomBytes(3).join(".")}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      // A new username each time: only the address limit can refuse.
      const res = await fetch(`${i % 2 ? one.url : two.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": address },
        body: JSON.stringify({ username: `nobody-${randomBytes(6).toString("hex")}`, password: "wrong" }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
