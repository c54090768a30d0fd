// GraphiQL at /graphql in headless Chromium with every request outside the
// app's origin blocked (offline): it loads from the app's own assets under its
// Content-Security-Policy, with no violation, and runs a query.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMain, type StartedMain } from "./start-main.js";

const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => !!p && existsSync(p),
);
const title = chromiumPath
  ? "GraphiQL offline in headless Chromium"
  : "GraphiQL offline in headless Chromium (SKIPPED: no Chromium binary; apt-get install chromium, or set CHROMIUM_PATH)";

describe.skipIf(!chromiumPath)(title, () => {
  let app: StartedMain;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const outside: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    app = await startMain();
    profile = mkdtempSync(join(tmpdir(), "gatehouse-graphiql-"));
    const { chromium } = await import("playwright-core");
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath!,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    // Offline: anything but the app itself is refused (and recorded).
    const origin = new URL(app.url).origin;
    await browser.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      outside.push(url);
      return route.abort("internetdisconnected");
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on("console", (msg) => {
      if (msg.type() === "error") consoleErrors.push(msg.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("serves the page with a Content-Security-Policy that allows scripts from the app only", async () => {
    const res = await fetch(`${app.url}/graphql`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it("loads GraphiQL offline and runs a query", async () => {
    await page.goto(`${app.url}/graphql`);
    await page.locator(".graphiql-container").first().waitFor({ timeout: 20_000 });
    const editor = page.locator(".graphiql-query-editor .monaco-editor").first();
    await editor.waitFor({ timeout: 20_000 });
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type("{ recipes { title } }");
    await page.keyboard.press("Control+Enter");
    // Monaco renders spaces as no-break spaces.
    const response = async () => ((await page.locator(".graphiql-response").textContent()) ?? "").replace(/\s+/g, " ");
    await expect.poll(response, { timeout: 20_000 }).toContain('"title": "Blueberry muffins"');
    expect(outside).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(await page.title()).not.toContain("__TITLE__");
  });
});
