// The recipes web page for a visitor and a signed-in author, in headless
// Chromium: published recipes without an account, the reason an action is
// not offered, and focus on the error after a refused save.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root, startMain, type StartedMain } from "./start-main.js";

const webDir = join(root, "examples/recipes/web");
const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => !!p && existsSync(p),
);
const title = chromiumPath
  ? "recipes web page for visitors and authors in headless Chromium"
  : "recipes web page for visitors and authors in headless Chromium (SKIPPED: no Chromium binary; apt-get install chromium, or set CHROMIUM_PATH)";

function newest(dir: string): number {
  return readdirSync(dir).reduce((max, name) => {
    const p = join(dir, name);
    const s = statSync(p);
    return Math.max(max, s.isDirectory() ? newest(p) : s.mtimeMs);
  }, 0);
}

/** Builds the page when its build is missing or older than its sources (the test must see this code). */
function ensureWebBuild(): void {
  const built = join(webDir, "dist/index.html");
  const sources = Math.max(newest(join(webDir, "src")), statSync(join(webDir, "index.html")).mtimeMs, newest(join(root, "src/react")));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "examples/recipes/web"], { cwd: root, stdio: "pipe" });
}

describe.skipIf(!chromiumPath)(title, () => {
  let app: StartedMain;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    ensureWebBuild();
    app = await startMain();
    profile = mkdtempSync(join(tmpdir(), "gatehouse-web-visitor-"));
    const { chromium } = await import("playwright-core");
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath!,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const card = (recipeTitle: string) => page.locator("article", { has: page.getByRole("heading", { name: recipeTitle, exact: true }) });

  it("shows a visitor the published recipes, no drafts, and why nothing can be changed", async () => {
    await page.goto(app.url);
    await card("Blueberry muffins").waitFor();
    await card("Sunday pancakes").waitFor();
    expect(await page.getByText("Chili experiment (draft)").count()).toBe(0);
    expect(await page.getByRole("button", { name: /^(Edit|Delete|Publish|New recipe)/ }).count()).toBe(0);
    await card("Blueberry muffins").getByText("Sign in to edit or delete recipes.").waitFor();
    await page.getByText("Sign in to add a recipe.").waitFor();
    // The login form is still the first thing to do.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("username");
  });

  it("tells Joe that only the author can change Jane's recipe, and nothing on his own", async () => {
    await page.getByLabel("Username").fill("joe");
    await page.getByLabel("Password").fill("joe-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Signed in as").waitFor();
    await card("Sunday pancakes").getByRole("button", { name: /^Edit/ }).waitFor();
    await card("Blueberry muffins").getByText("Only the author can edit or delete this recipe.").waitFor();
    expect(await card("Sunday pancakes").locator(".why-not").count()).toBe(0);
    expect(await page.getByText("Sign in to add a recipe.").count()).toBe(0);
  });

  it("moves focus to the error when a save is refused", async () => {
    await page.getByLabel(/Show actions I may not use/).check();
    await card("Blueberry muffins").getByRole("button", { name: /^Edit/ }).click();
    await page.getByLabel("Title").fill("Joe was here");
    await page.getByRole("button", { name: "Save" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("FORBIDDEN");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("alert");
  });
});
