// Runs the BUILT `gatehouse` binary as a child process, building it first
// when dist/cli/main.js is missing or older than any source file in src/.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const fixtures = join(root, "test/cli/fixtures");
const main = join(root, "dist/cli/main.js");

function newestMtime(dir: string): number {
  return readdirSync(dir).reduce((max, name) => {
    const p = join(dir, name);
    const s = statSync(p);
    return Math.max(max, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }, 0);
}

// The areas the CLI is built from; a change elsewhere does not make it stale.
const SOURCES = ["cli", "core", "policy", "graphql", "audit", "permissions"].map((a) => join(root, "src", a)).filter(existsSync);
const lock = join(tmpdir(), `gatehouse-cli-build-${Buffer.from(root).toString("hex").slice(-32)}`);

function stale(): boolean {
  return !existsSync(main) || statSync(main).mtimeMs < Math.max(...SOURCES.map(newestMtime));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds dist/ when dist/cli/main.js is older than the sources it comes from.
 * Test files run in parallel processes, so one builds while the others wait.
 */
export function ensureBuilt(): void {
  // Decide once per vitest run (all test files share the parent pid): a rebuild
  // while another file's CLI processes run would make them read a half-written dist/.
  const once = `${lock}-run-${process.ppid}`;
  if (existsSync(once) && existsSync(main)) return;
  for (let waited = 0; stale(); waited += 200) {
    try {
      mkdirSync(lock);
    } catch {
      if (waited > 120_000) rmSync(lock, { recursive: true, force: true }); // a crashed builder left it behind
      sleep(200);
      continue;
    }
    try {
      execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "pipe" });
    } catch {
      // Type errors in areas under construction still emit; the check below is what matters.
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    break;
  }
  if (!existsSync(main)) throw new Error("dist/cli/main.js was not built; run `npx tsc -p tsconfig.build.json`.");
  writeFileSync(once, "");
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli/main.js ...args` in `cwd` (default: the fixtures folder). */
export function cli(args: string[], options: { cwd?: string; nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), main, ...args],
      { cwd: options.cwd ?? fixtures, env: { ...process.env, NO_COLOR: "1", ...options.env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 99) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
