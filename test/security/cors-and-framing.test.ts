// CORS is an allowlist and responses are well-formed: the recipes app never
// reflects an arbitrary Origin (with or without credentials), allowed origins
// come from configuration, and OPTIONS / preflights carry one Content-Length
// (two made strict clients such as undici refuse the response).
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./fixtures/app.js";

const EVIL = "https://evil.example";
const ALLOWED = "https://app.example.com";

/** The response head exactly as sent, so repeated headers are visible. */
function rawHead(t: TestApp, lines: string[], body = ""): Promise<string[]> {
  const url = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(`${lines.join("\r\n")}\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n${body}`));
    let text = "";
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("end", () => resolve(text.split("\r\n\r\n")[0]!.split("\r\n")));
    socket.on("error", reject);
  });
}
const headerCount = (head: string[], name: string) => head.filter((l) => l.toLowerCase().startsWith(`${name}:`)).length;
const header = (head: string[], name: string) => head.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();

describe("the recipes app's CORS and response framing", () => {
  let plain: TestApp;
  let configured: TestApp;
  beforeAll(async () => {
    plain = await startApp();
    configured = await startApp({ corsOrigins: `${ALLOWED}, http://localhost:5173` });
  });
  afterAll(async () => {
    await plain?.app.close();
    await configured?.app.close();
  });

  const preflight = (origin: string) => ["OPTIONS /graphql HTTP/1.1", `Origin: ${origin}`, "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: authorization, content-type"];
  const BODY = JSON.stringify({ query: "{ __typename }" });
  const post = (origin: string) => ["POST /graphql HTTP/1.1", `Origin: ${origin}`, "Content-Type: application/json", `Content-Length: ${BODY.length}`];

  it.each([
    ["a preflight", preflight(EVIL)],
    ["a plain OPTIONS", ["OPTIONS /graphql HTTP/1.1"]],
    ["a GET", ["GET /graphql?query=%7B__typename%7D HTTP/1.1", "Accept: application/json"]],
  ])("%s carries exactly one Content-Length", async (_name, lines) => {
    const head = await rawHead(plain, lines);
    expect(headerCount(head, "content-length"), head.join("\n")).toBe(1);
  });

  it("undici (Node's fetch) accepts OPTIONS /graphql and a preflight", async () => {
    const res = await fetch(`${plain.url}/graphql`, { method: "OPTIONS" });
    expect(res.ok).toBe(true);
    await res.arrayBuffer();
    const pre = await fetch(`${configured.url}/graphql`, { method: "OPTIONS", headers: { origin: ALLOWED, "access-control-request-method": "POST" } });
    expect(pre.ok).toBe(true);
    expect(pre.headers.get("access-control-allow-origin")).toBe(ALLOWED);
  });

  it.each([
    ["a preflight", preflight(EVIL)],
    ["a POST", post(EVIL)],
  ])("never reflects an arbitrary Origin (%s), by default", async (_name, lines) => {
    const head = await rawHead(plain, lines, lines[0]!.startsWith("POST") ? BODY : "");
    expect(header(head, "access-control-allow-origin")).toBeUndefined();
    expect(header(head, "access-control-allow-credentials")).toBeUndefined();
  });

  it("answers an allowlisted origin (CORS_ORIGINS), without credentials, and still refuses others", async () => {
    const allowed = await rawHead(configured, preflight(ALLOWED));
    expect(header(allowed, "access-control-allow-origin")).toBe(ALLOWED);
    expect(header(allowed, "access-control-allow-methods")).toContain("POST");
    expect(header(allowed, "access-control-allow-headers")).toContain("authorization");
    expect(header(allowed, "access-control-allow-credentials")).toBeUndefined();
    expect(header(allowed, "vary")).toContain("Origin");
    const evil = await rawHead(configured, preflight(EVIL));
    expect(header(evil, "access-control-allow-origin")).toBeUndefined();
    const fetched = await fetch(`${configured.url}/graphql`, { method: "POST", headers: { origin: ALLOWED, "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect(fetched.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const foreign = await fetch(`${configured.url}/graphql`, { method: "POST", headers: { origin: `${ALLOWED}.evil.example`, "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a wildcard or a malformed CORS_ORIGINS entry at start", async () => {
    const { parseCorsOrigins } = await import("../../examples/recipes/src/http/cors.js");
    expect(() => parseCorsOrigins("*")).toThrow(TypeError);
    expect(() => parseCorsOrigins("https://a.example/path")).toThrow(TypeError);
    expect(() => parseCorsOrigins("ftp://a.example")).toThrow(TypeError);
    expect(parseCorsOrigins(" https://a.example , http://localhost:5173/ ")).toEqual(["https://a.example", "http://localhost:5173"]);
    expect(parseCorsOrigins(undefined)).toEqual([]);
  });
});
