// POST /auth/login under attack: the per-username rate limit cannot be
// dodged with spelling variants, answers never tell which part was wrong,
// and odd inputs are a 400/401, never a 500.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { raw, startApp, type TestApp } from "./fixtures/app.js";

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.app.close()));
});

const loginAt = (t: TestApp) => (username: unknown, password: unknown) =>
  raw(t.url, "/auth/login", { headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });

/** A fresh app: for the rate-limit test, whose counters must start at zero. */
async function setup() {
  const t = await startApp();
  apps.push(t);
  return { t, login: loginAt(t) };
}

// One app for the cases that never count against joe's or jane's limit (400s before the limiter, other buckets).
let shared: TestApp;
beforeAll(async () => {
  shared = await startApp();
});
afterAll(async () => {
  await shared?.app.close();
});
const sharedSetup = async () => ({ login: loginAt(shared) });

describe("login under attack", () => {
  it("keeps counting failures across case and whitespace variants of one username", async () => {
    const { login } = await setup();
    const variants = ["joe", "JOE", " joe", "joe ", "Joe", "jOe", "\tjoe"];
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await login(variants[i % variants.length], `wrong-${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    // Locked out even with the right password, whichever spelling is used.
    for (const v of variants) expect((await login(v, "joe-password")).status, JSON.stringify(v)).toBe(429);
  });

  it("does not accept look-alike usernames as joe (so they cannot be a separate rate-limit bucket for joe)", async () => {
    const { login } = await sharedSetup();
    for (const v of ["jοe" /* Greek omicron */, "joe\u200b", "joe%00", "joe' --", "joe' OR '1'='1"]) {
      expect((await login(v, "joe-password")).status, JSON.stringify(v)).toBe(401);
    }
  });

  it("accepts compatibility spellings (fullwidth) as joe, counted in joe's bucket", async () => {
    const { login } = await setup();
    expect((await login("ｊｏｅ", "joe-password")).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await login(i % 2 ? "ｊｏｅ" : "JOE", `wrong-${i}`)).status).toBe(401);
    expect((await login("joe", "joe-password")).status).toBe(429);
  });

  it.each([
    ["username as an object", { $ne: null }, "x"],
    ["password as an object", "joe", { $gt: "" }],
    ["username as an array", ["joe"], "joe-password"],
    ["password as a number", "joe", 0],
    ["password true", "joe", true],
    ["username of 10,000 chars", "j".repeat(10_000), "x"],
    ["password of 10,000 chars", "joe", "p".repeat(10_000)],
    ["empty strings", "", ""],
  ])("answers %s with 400/401, never a token or a 500", async (_name, username, password) => {
    const { login } = await sharedSetup();
    const res = await login(username, password);
    expect([400, 401]).toContain(res.status);
    expect(res.text).not.toContain("token");
  });

  it("answers a wrong password and an unknown user with the same body", async () => {
    const { login } = await sharedSetup();
    const wrong = await login("jane", "nope");
    const unknown = await login("nobody-at-all", "nope");
    expect(wrong.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);
  });

  it("answers a username with a NUL byte with 401, not 500", async () => {
    const { login } = await sharedSetup();
    expect((await login("joe\u0000", "x")).status).toBe(401);
  });
});
