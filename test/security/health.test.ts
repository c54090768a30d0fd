// Health: /healthz says the process is up, /readyz says the database is
// reachable and migrated. A database recreated empty is reported not ready
// (503 NOT_READY on the API routes too), never a stream of masked 500s.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raw, startApp, type TestApp } from "./fixtures/app.js";

describe("health endpoints of the recipes app", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t?.app.close();
  });

  const get = (path: string) => raw(t.url, path, { method: "GET" });
  const api = () => [
    raw(t.url, "/graphql", { headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ query: "{ recipes { id } }" }) }),
    raw(t.url, "/auth/login", { headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "joe", password: "joe-password" }) }),
  ];

  it("serves /healthz and /readyz while everything is fine", async () => {
    const health = await get("/healthz");
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: "ok" });
    const ready = await get("/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ status: "ready" });
    expect((await raw(t.url, "/readyz", { method: "HEAD" })).status).toBe(200);
  });

  it("a database recreated empty: /readyz 503, API routes 503 NOT_READY (no 500), /healthz still 200", async () => {
    // What an operator's `DROP SCHEMA ... CASCADE; CREATE SCHEMA ...` (or a fresh volume) leaves behind.
    await t.app.store.db.query("DROP SCHEMA public CASCADE");
    await t.app.store.db.query("CREATE SCHEMA public");
    await new Promise((r) => setTimeout(r, 1_100)); // the readiness answer is reused for up to a second

    const ready = await get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.headers["retry-after"]).toBeDefined();
    expect(JSON.parse(ready.text)).toMatchObject({ status: "not ready", reason: "database not migrated", error: { code: "NOT_READY" } });

    const answers = await Promise.all([...api(), ...api(), ...api()]);
    for (const a of answers) {
      expect(a.status).toBe(503);
      expect(JSON.parse(a.text)).toMatchObject({ error: { code: "NOT_READY" } });
      expect(a.text).not.toMatch(/relation|gatehouse_|SELECT/i);
    }
    expect(t.logs.filter((l) => l.msg === "request failed")).toEqual([]);
    expect((await get("/healthz")).status).toBe(200);
  });
});
