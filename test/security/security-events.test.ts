// Security events are logged: each failed login, each 429 and each refused
// token writes exactly one structured line (event, username, client address),
// and no line ever carries the password or the token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raw, startApp, tokenFor, type TestApp } from "./fixtures/app.js";

describe("security event log of the recipes app", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t?.app.close();
  });

  const login = (username: string, password: string) =>
    raw(t.url, "/auth/login", { headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  const graphql = (headers: Record<string, string>) =>
    raw(t.url, "/graphql", { headers: { "content-type": "application/json", accept: "application/json", ...headers }, body: JSON.stringify({ query: "{ me { id } }" }) });
  /** Runs `action` and returns the security lines it added. */
  async function linesOf(action: () => Promise<unknown>) {
    const before = t.logs.length;
    await action();
    return t.logs.slice(before).filter((line) => line.security === true);
  }
  const allText = () => JSON.stringify(t.logs);

  it("a failed login: one login_failed line with the normalised username and the address, never the password", async () => {
    const lines = await linesOf(() => login(" Jane ", "hunter2-SECRET-PASSWORD"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: "login_failed", username: "jane", clientAddress: "127.0.0.1", code: "INVALID_CREDENTIALS", level: 40 });
    expect(allText()).not.toContain("hunter2-SECRET-PASSWORD");
  });

  it("a 429: one rate_limited line per refused attempt, naming the limit", async () => {
    for (let i = 0; i < 10; i++) await login("ed", `wrong-${i}-SECRET`);
    const lines = await linesOf(() => login("ed", "ed-password"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: "rate_limited", limit: "username", username: "ed", clientAddress: "127.0.0.1", code: "RATE_LIMITED" });
    expect(allText()).not.toContain("ed-password");
    expect(allText()).not.toContain("SECRET");
  });

  it.each([
    ["a forged token", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.SECRET-SIGNATURE-PART"],
    ["a malformed header", "Bearer SECRET-TOKEN with spaces"],
  ])("%s: one token_refused line with the address, never the token", async (_name, authorization) => {
    const lines = await linesOf(() => graphql({ authorization }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: "token_refused", clientAddress: "127.0.0.1", code: "INVALID_CREDENTIALS" });
    expect(allText()).not.toContain("SECRET-SIGNATURE-PART");
    expect(allText()).not.toContain("SECRET-TOKEN");
  });

  it("successful logins and accepted tokens write no security event", async () => {
    const lines = await linesOf(async () => {
      const token = await tokenFor(t.url, "joe");
      await graphql({ authorization: `Bearer ${token}` });
    });
    expect(lines).toEqual([]);
  });
});
