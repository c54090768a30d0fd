// Two copies of gatehouse in one process (the example's sources through
// tsconfig `paths`, the CLI from dist/): the CLI still works and says why.
import { beforeAll, describe, expect, it } from "vitest";
import { allow, preExecRule } from "gatehouse/graphql";
import { copiesNote, inspectCopies, unbrandedMessage } from "../../src/cli/gatehouse-copies.js";
import { cli, ensureBuilt, root } from "./built-cli.js";

beforeAll(() => ensureBuilt());

const EXAMPLE = "examples/recipes/src/graphql/project.ts";

describe("gatehouse CLI with two copies of gatehouse", () => {
  it("checks the example when the built CLI loads it through tsconfig paths (sources), and names the cause and fix", async () => {
    const r = await cli(["check", EXAMPLE], { cwd: root, nodeArgs: ["--import", "tsx"] });
    expect(r.stdout).toBe("gatehouse check: ok (25 fields, 0 policies).\n");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("two copies of gatehouse are loaded");
    expect(r.stderr).toContain("dist/graphql/rule-mark.js");
    expect(r.stderr).toContain("src/graphql/rule-mark.ts");
    expect(r.stderr).toMatch(/Cause: .*tsconfig `paths`/);
    expect(r.stderr).toContain("npm run check");
  });

  it("prints no note when the CLI and the example share one copy (what `npm run check` runs)", async () => {
    const { execFile } = await import("node:child_process");
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(process.execPath, ["--import", "tsx", "src/cli/main.ts", "check", EXAMPLE], { cwd: root }, (error, stdout, stderr) =>
        done({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );
    expect(r).toEqual({ code: 0, stdout: "gatehouse check: ok (25 fields, 0 policies).\n", stderr: "" });
  });

  it("refuses rules of an older copy (no brand) with exit 2, naming them, the cause and the fix", async () => {
    const r = await cli(["check", "unbranded-rules.mjs"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("rules Old were built by another copy of gatehouse");
    expect(r.stderr).toContain("Cause:");
    expect(r.stderr).toContain("Fix:");
  });
});

describe("inspectCopies", () => {
  it("finds nothing for rules of this copy", () => {
    const report = inspectCopies({ A: allow, B: preExecRule()(() => true), notARule: 42 });
    expect(report.others).toEqual([]);
    expect(report.unbranded).toEqual([]);
    expect(copiesNote(report, root)).toBeUndefined();
    expect(unbrandedMessage(report, root)).toBeUndefined();
  });

  it("names another copy by the URL its rules carry", () => {
    const foreign = Object.freeze(Object.defineProperty({ kind: "const", name: "allow", allow: true }, Symbol.for("gatehouse.rule"), { value: "file:///elsewhere/node_modules/gatehouse/dist/graphql/rule-mark.js" }));
    const report = inspectCopies({ A: foreign });
    expect(report.others).toEqual(["file:///elsewhere/node_modules/gatehouse/dist/graphql/rule-mark.js"]);
    expect(copiesNote(report, root)).toContain("/elsewhere/node_modules/gatehouse/dist/graphql/rule-mark.js");
  });

  it("does not mistake arbitrary objects for unbranded rules", () => {
    expect(inspectCopies({ a: { kind: "pre" }, b: { kind: "other", name: "x" }, c: null, d: "IsAdmin" }).unbranded).toEqual([]);
  });
});
