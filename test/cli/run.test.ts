// In-process runs of the dispatcher (the built binary is covered by main.test.ts).
import { describe, expect, it } from "vitest";
import { EXIT, runCli } from "../../src/cli/index.js";
import type { CliIo } from "../../src/cli/index.js";
import { fixtures } from "./built-cli.js";

function setup() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), cwd: fixtures };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

describe("runCli", () => {
  it("runs a command and returns its exit code", async () => {
    const s = setup();
    expect(await runCli(["policy", "validate", "policies.json"], s.io)).toBe(EXIT.ok);
    expect(s.out()).toMatch(/4 policies, no issues/);
  });

  it("maps usage errors to exit 2 on stderr", async () => {
    const s = setup();
    expect(await runCli(["explain", "--policies"], s.io)).toBe(EXIT.usage);
    expect(s.err()).toMatch(/^gatehouse explain: .*--policies/);
  });

  it("reports an unexpected error without a stack, exit 2", async () => {
    const s = setup();
    const io = { ...s.io, stdout: () => { throw new Error("EPIPE"); } };
    expect(await runCli(["policy", "validate", "policies.json"], io)).toBe(EXIT.usage);
    expect(s.err()).toBe("gatehouse policy validate: unexpected error: Error: EPIPE\n");
  });

  it("documents the exit codes", () => {
    expect(EXIT).toEqual({ ok: 0, findings: 1, usage: 2 });
  });
});
