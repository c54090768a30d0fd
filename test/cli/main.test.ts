import { beforeAll, describe, expect, it } from "vitest";
import { cli, ensureBuilt } from "./built-cli.js";

beforeAll(() => ensureBuilt());

describe("gatehouse (global)", () => {
  it("prints the command list with --help and exits 0", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: gatehouse <command>/);
    for (const c of ["check", "matrix", "explain", "policy validate"]) expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/0 ok, 1 findings.*2 usage/);
  });

  it("prints usage to stderr and exits 2 without a command", async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/Usage: gatehouse/);
  });

  it("prints the package version", async () => {
    const r = await cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("rejects an unknown command with exit 2 and a hint", async () => {
    const r = await cli(["chek"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'chek'.*gatehouse --help/);
  });

  it("suggests `policy validate` for a bare `policy`", async () => {
    const r = await cli(["policy", "lint"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gatehouse policy validate/);
  });

  it.each([["check"], ["matrix"], ["explain"], ["policy", "validate"]])("`%s --help` prints usage and exits 0", async (...command) => {
    const r = await cli([...command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: gatehouse ${command.join(" ")}`);
    expect(r.stdout).toMatch(/Exit codes/);
  });
});
