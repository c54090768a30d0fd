import { beforeAll, describe, expect, it } from "vitest";
import { cli, ensureBuilt } from "../built-cli.js";

beforeAll(() => ensureBuilt());

describe("gatehouse policy validate", () => {
  it("accepts a valid file with exit 0 and a summary", async () => {
    const r = await cli(["policy", "validate", "policies.json"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe("policies.json: 4 policies, no issues.\n");
  });

  it("lists every issue with its JSON path and exits 1", async () => {
    const r = await cli(["policy", "validate", "bad-policies.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^bad-policies.json: 5 issues:/);
    for (const path of [
      "policies[0].effect:",
      "policies[1].id:",
      "policies[1].actions:",
      "policies[1].resources[0]:",
      "policies[1].conditions[0].operator:",
    ]) {
      expect(r.stdout).toContain(`  ${path}`);
    }
  });

  it("prints issues as JSON with --format json", async () => {
    const r = await cli(["policy", "validate", "bad-policies.json", "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ file: "bad-policies.json", valid: false });
    expect(out.issues).toContainEqual(expect.objectContaining({ path: "policies[0].effect" }));
  });

  it("reports invalid JSON with line and column, exit 2, without echoing the file", async () => {
    const r = await cli(["policy", "validate", "invalid.json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/invalid\.json: invalid JSON at line 3, column 15: Unexpected token/);
    expect(r.stderr).not.toContain('"effect"');
  });

  it("reports an empty file, exit 2", async () => {
    const r = await cli(["policy", "validate", "empty.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty\.json: invalid JSON: the file is empty/);
  });

  it("reports a missing file, exit 2", async () => {
    const r = await cli(["policy", "validate", "nope.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.json: file not found; check the path/);
  });

  it("requires the file argument, exit 2", async () => {
    const r = await cli(["policy", "validate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing the policy file/);
  });

  it("rejects extra arguments and unknown options, exit 2", async () => {
    expect((await cli(["policy", "validate", "a.json", "b.json"])).stderr).toMatch(/unexpected argument 'b.json'/);
    const r = await cli(["policy", "validate", "policies.json", "--strict"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--strict'.*\n.*policy validate --help/);
  });

  it("rejects an unknown --format, exit 2", async () => {
    const r = await cli(["policy", "validate", "policies.json", "--format", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format must be text or json/);
  });
});
