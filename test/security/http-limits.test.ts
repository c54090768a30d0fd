// HTTP and input limits of the recipes app, hit the way a hostile client
// would: huge bodies, deep and wide queries, floods of aliases, tokens,
// directives and operations, malformed JSON and wrong content types. Each
// must end in a clear 4xx (never a 500) and leave the server answering.
// The limits come from GraphQL Armor and the app's 100 KB body limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raw, startApp, type RawResponse, type TestApp } from "./fixtures/app.js";

const GRAPHQL_RESPONSE = "application/graphql-response+json";

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t?.app.close();
});

/** POST /graphql with a JSON body; `accept` decides the status code of GraphQL errors (GraphQL over HTTP). */
function post(body: unknown, accept = GRAPHQL_RESPONSE): Promise<RawResponse> {
  return raw(t.url, "/graphql", { headers: { "content-type": "application/json", accept }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** A clear client error: 4xx, no data, an error message, no stack or internals. */
function expectClientError(res: RawResponse, label: string, statuses: number[] = [400]) {
  expect(statuses, `${label}: status ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
  expect(res.text, label).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack frames
  if (res.text.trim().startsWith("{")) {
    const body = JSON.parse(res.text) as { data?: unknown; errors?: unknown[]; error?: unknown };
    expect(body.data ?? null, label).toBeNull();
    expect(body.errors ?? body.error, label).toBeDefined();
  }
}

async function expectStillServing() {
  const res = await post({ query: "{ recipes { id } }" });
  expect(res.status).toBe(200);
  expect((res.json().data?.recipes as unknown[]).length).toBeGreaterThan(0);
}

const repeat = (n: number, f: (i: number) => string, sep = " ") => Array.from({ length: n }, (_, i) => f(i)).join(sep);

describe("bodies", () => {
  it.each(["/graphql", "/auth/login", "/webhooks/recipes"])("refuses a 5 MB body on %s with 413", async (path) => {
    const res = await raw(t.url, path, { headers: { "content-type": "application/json" }, body: Buffer.alloc(5 * 1024 * 1024, 0x61) });
    expectClientError(res, path, [413]);
    await expectStillServing();
  });

  it("refuses a 5 MB chunked body (no Content-Length to check up front) with 413", async () => {
    const res = await raw(t.url, "/graphql", { headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, body: Buffer.alloc(5 * 1024 * 1024, 0x20) });
    expectClientError(res, "chunked", [413]);
    await expectStillServing();
  });

  it("refuses a body just over the 100 KB limit and accepts one under it", async () => {
    const over = await post({ query: "{ recipes { id } }", pad: "x".repeat(101 * 1024) });
    expectClientError(over, "over", [413]);
    const under = await post({ query: "{ recipes { id } }", extensions: { pad: "x".repeat(90 * 1024) } });
    expect(under.status).toBe(200);
  });
});

describe("malformed requests", () => {
  it.each([
    ["truncated JSON", '{"query": '],
    ["not JSON at all", "query { recipes { id } }"],
    ["a JSON string", '"{ recipes { id } }"'],
    ["query as a number", '{"query": 42}'],
    ["query as an object", '{"query": {"$ne": null}}'],
    ["variables as a string", '{"query": "{ recipes { id } }", "variables": "x"}'],
    ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x7d]).toString("latin1")],
    ["an empty body", ""],
  ])("answers 400 to %s", async (name, body) => {
    expectClientError(await post(body), name);
  });

  it.each([
    ["text/plain", "text/plain"],
    ["no content type", undefined],
    ["XML", "application/xml"],
  ])("refuses a JSON body sent as %s with 4xx", async (name, type) => {
    const headers: Record<string, string> = { accept: GRAPHQL_RESPONSE };
    if (type) headers["content-type"] = type;
    const res = await raw(t.url, "/graphql", { headers, body: JSON.stringify({ query: "{ recipes { id } }" }) });
    expectClientError(res, name, [400, 415]);
  });

  it("refuses a mutation over GET (no cross-site writes through links or images)", async () => {
    const res = await raw(t.url, `/graphql?query=${encodeURIComponent('mutation { deleteRecipe(id: "seed-joe-pancakes") }')}`, { method: "GET", headers: { accept: GRAPHQL_RESPONSE } });
    expectClientError(res, "GET mutation", [405]);
  });

  it("runs a form-encoded POST (a cross-site form) only as anonymous: forms cannot carry the bearer token", async () => {
    const res = await raw(t.url, "/graphql", {
      headers: { "content-type": "application/x-www-form-urlencoded", accept: GRAPHQL_RESPONSE },
      body: `query=${encodeURIComponent("{ me { id } }")}`,
    });
    expect(res.status).toBeLessThan(500);
    if (res.status === 200) expect(res.json().data?.me ?? null).toBeNull();
  });

  it("does not echo the request body back in the error", async () => {
    const res = await post('{"query": "{ recipes { id } }", "SECRET-BODY-MARKER": ');
    expectClientError(res, "echo");
    expect(res.text).not.toContain("SECRET-BODY-MARKER");
  });
});

describe("query cost limits (GraphQL Armor)", () => {
  const deepIntrospection = `{ __schema { types { ${"fields { type { ofType { ofType { ".repeat(12)} name ${"} } } } ".repeat(12)} } } }`;
  // Rejected by the token limit or by validation: a 400 under GraphQL over HTTP.
  const parseOrValidation: Array<[string, string]> = [
    ["depth 50 through introspection", deepIntrospection],
    ["1,000 aliases", `{ ${repeat(1000, (i) => `a${i}: recipes { id }`)} }`],
    ["20,000 tokens", `{ recipes { ${"id ".repeat(20_000)} } }`],
    ["500 operations in one document", repeat(500, (i) => `query q${i} { recipes { id } }`)],
    ["200 directives on one field", `{ recipes ${"@include(if: true) ".repeat(200)} { id } }`],
    ["1,000 fragment spreads", `{ recipes { ${repeat(1000, () => "...F")} } } fragment F on Recipe { id }`],
    ["a fragment cycle", "{ recipes { ...A } } fragment A on Recipe { ...B } fragment B on Recipe { ...A }"],
  ];
  // Rejected by Armor's alias and cost limits, reported as validation errors.
  const armorOnly: Array<[string, string]> = [
    ["depth 50", `{ recipes { ${"createdBy { ".repeat(50)}id${" }".repeat(50)} } }`],
    ["16 aliases (one over the default 15)", `{ ${repeat(16, (i) => `a${i}: recipes { id }`)} }`],
    ["100 aliases inside one field", `{ recipes { ${repeat(100, (i) => `a${i}: id`)} } }`],
  ];
  const attacks = [...parseOrValidation, ...armorOnly];

  it.each(attacks)("rejects %s: no data, an error, never a 500", async (name, query) => {
    for (const accept of [GRAPHQL_RESPONSE, "application/json"]) {
      const res = await post({ query }, accept);
      expect(res.status, `${name} (${accept})`).toBeLessThan(500);
      const body = res.json();
      expect(body.data ?? null, `${name} (${accept})`).toBeNull();
      expect(body.errors?.length, `${name} (${accept})`).toBeGreaterThan(0);
    }
  });

  it.each(parseOrValidation)("answers %s with 400 under application/graphql-response+json", async (name, query) => {
    expectClientError(await post({ query }), name);
  });

  it.each(armorOnly)("answers %s with 400 under application/graphql-response+json", async (name, query) => {
    expectClientError(await post({ query }), name);
  });

  it("refuses a JSON array of 100 operations (batching is off)", async () => {
    const res = await post(Array.from({ length: 100 }, () => ({ query: "{ recipes { id } }" })));
    expectClientError(res, "batch");
  });

  it("bounds deeply nested JSON variables", async () => {
    const nested = `${"[".repeat(45_000)}${"]".repeat(45_000)}`;
    const res = await post(`{"query":"query($a: [String]) { recipes { id } }","variables":{"a":${nested}}}`);
    expect(res.status).toBeLessThan(500);
  });

  it("still answers after every attack above", async () => {
    await expectStillServing();
  });
});
