// One name, one limit: the login limiter's key and the store's username
// lookup normalise with one function, so a spelling that logs in as admin is
// also counted in admin's bucket (`adm\u0130n` used to be a fresh bucket that
// still logged in as admin, doubling the limit for each i in a name).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, normalizeUsername, type Store } from "gatehouse/store";
import { raw, startApp, type TestApp } from "./fixtures/app.js";

/** Spellings that must be admin, however the database lower-cases. */
const ADMIN_SPELLINGS = ["admin", "ADMIN", " Admin ", "adm\u0130n", "ADM\u0130N", "adm\u0131n", "ＡＤＭＩＮ", "ａｄｍｉｎ", "ADMİN"];
/** Look-alikes that are nobody: still non-ASCII after normalisation. */
const NOT_ADMIN = ["adm\u0456n" /* Cyrillic i */, "admi\u200bn" /* zero-width space */, "\u0430dmin" /* Cyrillic a */, "admi\u0307n"];

describe("normalizeUsername", () => {
  it.each(ADMIN_SPELLINGS)("%j → admin", (name) => {
    expect(normalizeUsername(name)).toBe("admin");
  });

  it.each(NOT_ADMIN)("%j is not admin", (name) => {
    expect(normalizeUsername(name)).not.toBe("admin");
  });

  it("folds beyond lower-casing: ß → ss, ſ → s, final sigma → sigma, Kelvin sign → k", () => {
    expect(normalizeUsername("Straße")).toBe("strasse");
    expect(normalizeUsername("\u017Fam")).toBe("sam");
    expect(normalizeUsername("ΟΔΟΣ")).toBe(normalizeUsername("οδος"));
    expect(normalizeUsername("\u212Aate")).toBe("kate");
  });

  it("is idempotent and equals trim + lower-case on ASCII", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), (s) => normalizeUsername(normalizeUsername(s)) === normalizeUsername(s)));
    fc.assert(fc.property(fc.string({ unit: "grapheme-ascii", maxLength: 20 }), (s) => normalizeUsername(s) === s.trim().toLowerCase()));
  });

  it("throws TypeError for a non-string", () => {
    expect(() => normalizeUsername(42 as never)).toThrow(TypeError);
  });
});

describe("the store's lookup uses the same normalisation", () => {
  let store: Store;
  beforeAll(async () => {
    store = await createStore({ scrypt: { N: 1024 } });
    await store.users.create({ username: "admin", password: "admin-password", displayName: "Admin" });
  });
  afterAll(async () => {
    await store?.close();
  });

  it.each(ADMIN_SPELLINGS)("%j logs in as admin and is found as admin", async (name) => {
    expect((await store.users.verifyPassword(name, "admin-password"))?.username).toBe("admin");
    expect((await store.users.get(name))?.username).toBe("admin");
  });

  it.each(NOT_ADMIN)("%j matches nobody", async (name) => {
    expect(await store.users.verifyPassword(name, "admin-password")).toBeNull();
    expect(await store.users.get(name)).toBeNull();
  });

  it("whatever logs in as admin normalises to admin (so it is admin's limiter bucket)", async () => {
    const alphabet = ["a", "A", "d", "D", "m", "M", "i", "I", "n", "N", "\u0130", "\u0131", "ａ", "Ｉ", " ", "\u0456"];
    const names = fc.sample(fc.array(fc.constantFrom(...alphabet), { minLength: 5, maxLength: 6 }).map((a) => a.join("")), 60);
    for (const name of [...names, ...ADMIN_SPELLINGS, ...NOT_ADMIN]) {
      const found = await store.users.get(name);
      expect(found?.username === "admin", JSON.stringify(name)).toBe(normalizeUsername(name) === "admin");
    }
  });
});

describe("over HTTP: a spelling of admin shares admin's login bucket", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t?.app.close();
  });
  const login = (username: string, password: string) =>
    raw(t.url, "/auth/login", { headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });

  it("after 10 failures as admin, adm\\u0130n with the right password is refused (429), not a token", async () => {
    expect((await login("adm\u0130n", "admin-password")).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await login(i % 2 ? "admin" : "ADMİN", `wrong-${i}`)).status).toBe(401);
    for (const spelling of ["adm\u0130n", "adm\u0131n", "ａｄｍｉｎ", "admin"]) {
      const res = await login(spelling, "admin-password");
      expect(res.status, JSON.stringify(spelling)).toBe(429);
      expect(res.text).not.toContain("token");
    }
  });
});
