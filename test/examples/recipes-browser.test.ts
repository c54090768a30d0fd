// The recipes web page in a real headless Chromium: log in as Joe, Edit shows on his recipe and
// not on Jane's, edit his, see a forged edit refused with FORBIDDEN, log out. Screenshots go to test-results/.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const webDir = join(root, "examples/recipes/web");
const shots = join(root, "test-results");

const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => !!p && existsSync(p),
);
const title = chromiumPath
  ? "recipes web page in headless Chromium"
  : "recipes web page in headless Chromium (SKIPPED: no Chromium binary; apt-get install chromium, or set CHROMIUM_PATH)";

interface Recipe {
  id: string;
  title: string;
  published: boolean;
  createdBy: { id: string; username: string };
}

/** Talks to the API directly, to set up fixtures the test does not depend on seed data for. */
function apiClient(base: string) {
  async function login(username: string): Promise<string> {
    const res = await fetch(`${base}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: `${username}-password` }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }
  async function gql<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data!;
  }
  const fields = "id title published createdBy { id username }";
  return {
    login,
    create: async (token: string, recipeTitle: string) =>
      (await gql<{ createRecipe: Recipe }>(token, `mutation($i: RecipeInput!) { createRecipe(input: $i) { ${fields} } }`, {
        i: { title: recipeTitle, ingredients: ["flour", "milk"], steps: ["mix", "cook"] },
      })).createRecipe,
    publish: async (token: string, id: string) =>
      (await gql<{ publishRecipe: Recipe }>(token, `mutation($id: ID!) { publishRecipe(id: $id) { ${fields} } }`, { id })).publishRecipe,
    get: async (token: string, id: string) =>
      (await gql<{ recipe: Recipe | null }>(token, `query($id: ID!) { recipe(id: $id) { ${fields} } }`, { id })).recipe,
  };
}

/**
 * Runs `createRecipesApp` (examples/recipes/src/app.ts) in its own Node process with tsx, exactly as
 * `npm start` does. In-process, Vitest resolves `graphql` to its ESM build for our sources but the
 * CJS build for Yoga's dependencies, and the app's schema then fails graphql's realm check.
 */
async function startApp(): Promise<{ url: string; close(): Promise<void> }> {
  const appModule = pathToFileURL(join(root, "examples/recipes/src/app.ts")).href;
  const script = `
    import { createRecipesApp } from ${JSON.stringify(appModule)};
    const app = await createRecipesApp({ databaseUrl: "memory://", port: 0, host: "127.0.0.1", logLevel: "silent" });
    process.stdout.write(JSON.stringify({ url: app.url }) + "\\n");
    // The test closes stdin to stop the app.
    process.stdin.on("end", () => app.close().then(() => process.exit(0)));
    process.stdin.resume();`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "development" },
  });
  // Kept for the failure message: the app's own errors explain an early exit.
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolveUrl((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`the recipes app exited early (code ${code}):\n${stderr}`)));
  });
  const close = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        done();
      });
      child.stdin.end();
    });
  return { url, close };
}

describe.skipIf(!chromiumPath)(title, () => {
  let app: { url: string; close(): Promise<void> };
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const consoleErrors: string[] = [];
  const fixtures = { joes: null as Recipe | null, janes: null as Recipe | null };

  beforeAll(async () => {
    if (!existsSync(join(webDir, "dist/index.html"))) {
      const { build } = await import("vite");
      await build({ configFile: join(webDir, "vite.config.ts"), root: webDir, logLevel: "warn" });
    }
    app = await startApp();

    // Known fixtures: Jane's recipe published by the editor (so Joe can see it), and Joe's own draft.
    const api = apiClient(app.url.replace(/\/$/, ""));
    const [jane, ed, joe] = [await api.login("jane"), await api.login("ed"), await api.login("joe")];
    const janes = await api.create(jane, "Jane's tomato soup");
    fixtures.janes = await api.publish(ed, janes.id);
    fixtures.joes = await api.create(joe, "Joe's pancakes");

    profile = mkdtempSync(join(tmpdir(), "gatehouse-chromium-"));
    const { chromium } = await import("playwright-core");
    // A fresh profile per run; Playwright takes it as userDataDir rather than a --user-data-dir flag.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath!,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on("console", (msg) => {
      if (msg.type() === "error") consoleErrors.push(msg.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const card = (recipe: Recipe | null) => page.locator(`article[data-recipe-id="${recipe!.id}"]`);

  it("logs in as Joe with the labelled form", async () => {
    await page.goto(app.url);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("username");
    await page.getByLabel("Username").fill("joe");
    await page.getByLabel("Password").fill("joe-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Recipes", exact: true }).waitFor();
    await page.getByText("Signed in as").waitFor();
  });

  it("shows Edit on Joe's recipe and not on Jane's", async () => {
    await card(fixtures.joes).getByRole("button", { name: /^Edit/ }).waitFor();
    await card(fixtures.janes).waitFor();
    // Checks of one render settle together: Joe's Edit is there, so Jane's card is final.
    expect(await card(fixtures.janes).getByRole("button", { name: /^Edit/ }).count()).toBe(0);
    expect(await card(fixtures.janes).getByRole("button", { name: /^Delete/ }).count()).toBe(0);
    // Authors may publish their own drafts (pw: "p"), so Joe's draft offers it.
    expect(await card(fixtures.joes).getByRole("button", { name: /^Publish/ }).count()).toBe(1);
    await page.screenshot({ path: join(shots, "recipes-joe-list.png"), fullPage: true });
  });

  it("edits Joe's recipe", async () => {
    await card(fixtures.joes).getByRole("button", { name: /^Edit/ }).click();
    await page.getByRole("heading", { name: /^Edit/ }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("title");
    await page.getByLabel("Title").fill("Joe's fluffy pancakes");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await card(fixtures.joes).getByRole("heading", { name: "Joe's fluffy pancakes" }).waitFor();
    await page.screenshot({ path: join(shots, "recipes-joe-edited.png"), fullPage: true });
  });

  it("shows the server's FORBIDDEN readably when a hidden action is forced", async () => {
    await page.getByLabel(/Show actions I may not use/).check();
    await card(fixtures.janes).getByRole("button", { name: /^Edit/ }).click();
    await page.getByLabel("Title").fill("Joe was here");
    await page.getByRole("button", { name: "Save" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("FORBIDDEN");
    await page.screenshot({ path: join(shots, "recipes-joe-forbidden.png"), fullPage: true });
    await page.getByRole("button", { name: "Cancel" }).click();
  });

  it("logs out back to the login form", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("username");
  });

  it("logged no console errors", () => {
    // A refused request may log its HTTP status; anything else is a bug in the page.
    expect(consoleErrors.filter((text) => !/status of 40[13]/.test(text))).toEqual([]);
  });
});
