// Webhook, body limits, routing and the web page, over HTTP against the real app.
import { createHmac } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecipesApp } from "../../../examples/recipes/src/app.js";
import { BACKENDS, startApp, type TestApp } from "./helpers.js";

const SECRET = "test-webhook-secret";
const sign = (body: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`http routes (${backend.name})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ ...backend.options(), webhookSecret: SECRET, webRoot: "/nonexistent/web/dist" });
    });
    afterAll(async () => {
      await t?.app.close();
    });
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${t.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

    describe("POST /webhooks/recipes", () => {
      it("accepts a correctly signed body with 202", async () => {
        const body = JSON.stringify({ type: "recipe.imported", id: "r1" });
        const res = await post("/webhooks/recipes", body, { "x-webhook-signature": sign(body) });
        expect(res.status).toBe(202);
        expect(await res.json()).toEqual({ received: true });
        expect(t.logs.some((l) => l.webhook === "recipes" && l.type === "recipe.imported")).toBe(true);
        // A redelivery of the same body is accepted too (the scheme signs no timestamp to tell replays apart).
        expect((await post("/webhooks/recipes", body, { "x-webhook-signature": sign(body) })).status).toBe(202);
      });

      it("answers 401 for a missing, wrong-secret, tampered or malformed signature", async () => {
        const body = JSON.stringify({ type: "recipe.imported" });
        const cases: Array<Record<string, string>> = [
          {},
          { "x-webhook-signature": sign(body, "other-secret") },
          { "x-webhook-signature": sign(`${body} `) },
          { "x-webhook-signature": "sha256=zz" },
          { "x-webhook-signature": sign(body).replace("sha256=", "sha1=") },
        ];
        for (const headers of cases) {
          const res = await post("/webhooks/recipes", body, headers);
          expect(res.status).toBe(401);
          expect(await res.json()).toMatchObject({ error: { code: "WEBHOOK_VERIFICATION_FAILED" } });
        }
      });

      it("answers 400 for a correctly signed body that is not JSON", async () => {
        const res = await post("/webhooks/recipes", "not json", { "x-webhook-signature": sign("not json") });
        expect(res.status).toBe(400);
      });
    });

    describe("limits and routing", () => {
      it("answers 413 for bodies over 100 KB on every POST route", async () => {
        const big = JSON.stringify({ query: `{ me { id } }`, pad: "x".repeat(110 * 1024) });
        for (const path of ["/graphql", "/auth/login", "/webhooks/recipes"]) {
          const res = await post(path, big, { "x-webhook-signature": sign(big) });
          expect(res.status).toBe(413);
        }
      });

      it("answers 400 for malformed JSON on /graphql without echoing the body", async () => {
        const res = await post("/graphql", '{"query": "{ me { id } }", "SECRET-MARKER": ');
        expect(res.status).toBe(400);
        const text = await res.text();
        expect(text).not.toContain("SECRET-MARKER");
        expect(JSON.parse(text)).toEqual({ errors: [{ message: "POST body sent invalid JSON.", extensions: { code: "BAD_REQUEST" } }] });
      });

      it("answers GraphQL Armor's alias limit with 400 GRAPHQL_VALIDATION_FAILED", async () => {
        const query = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: recipes { id }`).join(" ")} }`;
        const res = await fetch(`${t.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
          body: JSON.stringify({ query }),
        });
        expect(res.status).toBe(400);
        const body = (await res.json()) as { data?: unknown; errors: Array<{ extensions?: { code?: string } }> };
        expect(body.data ?? null).toBeNull();
        expect(body.errors[0]!.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      });

      it("answers 404 for unknown paths and 405 for a wrong method", async () => {
        expect((await fetch(`${t.url}/nope`)).status).toBe(404);
        expect((await fetch(`${t.url}/nope`, { method: "POST" })).status).toBe(404);
        const res = await fetch(`${t.url}/auth/login`);
        expect(res.status).toBe(405);
        expect(res.headers.get("allow")).toBe("POST");
      });

      it("serves a fallback page at / when the web page is not built", async () => {
        const res = await fetch(`${t.url}/`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(await res.text()).toContain("/graphql");
      });

      it("serves GraphiQL at /graphql to a browser in development", async () => {
        const res = await fetch(`${t.url}/graphql`, { headers: { accept: "text/html" } });
        expect(res.status).toBe(200);
        expect(await res.text()).toMatch(/graphiql/i);
      });

      it("sends no-sniff headers", async () => {
        const res = await fetch(`${t.url}/.well-known/jwks.json`);
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      });
    });
  });
}

/** A GET whose path is sent byte for byte (fetch would normalise `..` away). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("web page and production mode", () => {
  function setup() {
    const root = mkdtempSync(join(tmpdir(), "recipes-web-"));
    writeFileSync(join(root, "index.html"), "<!doctype html><title>web build</title>");
    writeFileSync(join(root, "app.js"), "console.log('hi')");
    writeFileSync(join(root, ".env"), "SECRET=1");
    return root;
  }

  it("serves the built web page, its assets and the app shell, never dotfiles or paths outside", async () => {
    const t = await startApp({ webRoot: setup() });
    try {
      expect(await (await fetch(`${t.url}/`)).text()).toContain("web build");
      const js = await fetch(`${t.url}/app.js`);
      expect(js.headers.get("content-type")).toContain("javascript");
      expect(await (await fetch(`${t.url}/some/route`)).text()).toContain("web build");
      expect((await fetch(`${t.url}/.env`)).status).toBe(404);
      for (const path of ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd"]) {
        const raw = await rawGet(t.url, path);
        expect(raw.body).not.toContain("root:");
      }
    } finally {
      await t.app.close();
    }
  });

  it("in production: no seeded users, no GraphiQL, no field suggestions", async () => {
    const t = await startApp({ nodeEnv: "production", webhookSecret: SECRET });
    try {
      expect(await t.app.store.users.list()).toEqual([]);
      const page = await fetch(`${t.url}/graphql`, { headers: { accept: "text/html" } });
      expect(await page.text()).not.toMatch(/graphiql/i);
      const res = await fetch(`${t.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ recipe { titel } }" }),
      });
      expect(JSON.stringify(await res.json())).not.toMatch(/Did you mean/);
    } finally {
      await t.app.close();
    }
  });

  it("rejects invalid options with a TypeError that says what to fix", async () => {
    await expect(createRecipesApp({ port: -1 })).rejects.toThrow(TypeError);
    await expect(createRecipesApp({ databaseUrl: "memory://", port: 0, webhookSecret: "" })).rejects.toThrow(/WEBHOOK_SECRET/);
  });
});
