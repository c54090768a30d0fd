// GraphQL Armor's rejections and malformed bodies, in production mode: a coded
// error with the same HTTP status as the app's other request errors, and the
// request body never echoed back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./helpers.js";

const GRAPHQL_RESPONSE = "application/graphql-response+json";
const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(" ");

describe("request limits (production mode)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ nodeEnv: "production" });
  });
  afterAll(async () => {
    await t?.app.close();
  });

  async function post(body: string, accept: string) {
    const res = await fetch(`${t.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", accept }, body });
    return { status: res.status, text: await res.text() };
  }
  const codesOf = (text: string) => (JSON.parse(text) as { errors: Array<{ extensions?: { code?: string } }> }).errors.map((e) => e.extensions?.code);

  it.each([
    ["16 aliases", `{ ${repeat(16, (i) => `a${i}: recipes { id }`)} }`],
    ["depth 50", `{ recipes { ${"createdBy { ".repeat(50)}id${" }".repeat(50)} } }`],
    ["60 directives on one field", `{ recipes ${"@include(if: true) ".repeat(60)} { id } }`],
  ])("answers %s with GRAPHQL_VALIDATION_FAILED, with the status of a token-limit rejection", async (_name, query) => {
    const tokenLimit = JSON.stringify({ query: `{ recipes { ${"id ".repeat(2000)} } }` });
    for (const accept of [GRAPHQL_RESPONSE, "application/json"]) {
      const armor = await post(JSON.stringify({ query }), accept);
      const parse = await post(tokenLimit, accept);
      expect(armor.status, accept).toBe(parse.status);
      expect(codesOf(armor.text).length).toBeGreaterThan(0);
      expect(codesOf(armor.text).every((c) => c === "GRAPHQL_VALIDATION_FAILED"), armor.text).toBe(true);
      expect(JSON.parse(armor.text).data ?? null).toBeNull();
    }
    expect((await post(JSON.stringify({ query }), GRAPHQL_RESPONSE)).status).toBe(400);
  });

  it.each([GRAPHQL_RESPONSE, "application/json"])("answers invalid JSON with a fixed 400 that never echoes the body (%s)", async (accept) => {
    const res = await post('{"query": "{ recipes { id } }", "SECRET-BODY-MARKER": ', accept);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ errors: [{ message: "POST body sent invalid JSON.", extensions: { code: "BAD_REQUEST" } }] });
    expect(res.text).not.toContain("SECRET-BODY-MARKER");
  });
});
