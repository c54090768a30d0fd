// The shell lines the recipes app prints on start, and the `sh` blocks of the
// README and docs that talk to it (http://127.0.0.1:4000), run as pasted in
// bash against a started app (loopback, in-memory database). A `# -> text`
// line in a block is output the commands above it must print, in order.
import { spawn } from "node:child_process";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMain, type StartedMain } from "../examples/start-main.js";
import { codeBlocks, markdownFiles, root } from "./markdown.js";

const DOC_ORIGIN = "http://127.0.0.1:4000";

function bash(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // `node` in the lines is the Node running the tests.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` };
  const child = spawn("bash", ["-c", `set -euo pipefail\n${script}`], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((done) => child.once("close", (code) => done({ code, stdout, stderr })));
}

/** Each expected fragment appears in `output`, in order. */
function expectInOrder(output: string, fragments: string[]): void {
  let from = 0;
  for (const fragment of fragments) {
    const at = output.indexOf(fragment, from);
    expect(at, `expected ${JSON.stringify(fragment)} after offset ${from} in:\n${output}`).toBeGreaterThanOrEqual(0);
    from = at + fragment.length;
  }
}

/** Blocks whose commands (not just comments) talk to the app; none of them may install or start anything. */
const docBlocks = markdownFiles()
  .flatMap((file) => codeBlocks(file))
  .filter((b) => (b.lang === "sh" || b.lang === "bash") && b.text.split("\n").some((l) => l.replace(/(^|\s)#.*$/, "").includes(DOC_ORIGIN)));
for (const b of docBlocks) {
  if (/^\s*npm /m.test(b.text)) throw new Error(`${b.file}:${b.line}: a block that talks to the app must not run npm`);
}

// One app for all blocks: they only read, or are refused, or send an idempotent webhook.
let app: StartedMain;
beforeAll(async () => {
  app = await startMain();
});
afterAll(() => app?.close());

describe("shell lines run as pasted", () => {
  it("the start banner's login line sets TOKEN and the next line answers as Joe", async () => {
    const lines = app.banner.split("\n").filter((l) => /^ {2}(TOKEN=|curl )/.test(l)).map((l) => l.trim());
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^TOKEN=\$\(curl /);
    const r = await bash(lines.join("\n"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\{"data":\{"me":\{"username":"joe"\},"recipes":\[/);
    expect(r.stdout).toContain('"title":"Chili experiment (draft)","published":false');
  });

  it("finds the blocks to run (README and docs/recipes.md)", () => {
    expect(new Set(docBlocks.map((b) => b.file))).toEqual(new Set(["README.md", "docs/recipes.md"]));
  });

  it.each(docBlocks.map((b) => [`${b.file}:${b.line}`, b] as const))("%s", async (_where, block) => {
    const expected = block.text
      .split("\n")
      .map((l) => /^# -> (.*)$/.exec(l)?.[1])
      .filter((l): l is string => l !== undefined);
    const r = await bash(block.text.replaceAll(DOC_ORIGIN, app.url));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expectInOrder(r.stdout, expected);
  });
});
