import { beforeAll, describe, expect, it } from "vitest";
import { cli, ensureBuilt } from "../built-cli.js";

beforeAll(() => ensureBuilt());

describe("gatehouse check", () => {
  it("exits 0 with a one-line summary for a fully covered SDL schema", async () => {
    const r = await cli(["check", "schema.graphql"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe("gatehouse check: ok (9 fields, 0 policies; rule definitions not checked, pass --rules).\n");
  });

  it("exits 0 for a module that exports schema, rules and authSchema", async () => {
    const r = await cli(["check", "project.mjs"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("gatehouse check: ok (11 fields, 0 policies).\n");
  });

  it("lists every uncovered field, nested ones included, and exits 1", async () => {
    const r = await cli(["check", "uncovered.graphql"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Uncovered fields");
    for (const c of ["Address.city", "Author.address", "Author.name", "Stats.spam"]) expect(r.stdout).toContain(`  ${c}\n`);
    expect(r.stdout).not.toContain("Stats.count");
    expect(r.stdout).toMatch(/gatehouse check: 4 problems/);
  });

  it("lists rule names used in @authz but not listed in --rules", async () => {
    const r = await cli(["check", "schema.graphql", "--rules", "IsAuthenticated,CanReadPost"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Rules used but not defined \(2\):\n {2}IsAdmin {2}used at User\.email \(@authz\)\n {2}IsEditor {2}used at Mutation\.publishPost \(@authz\)/);
  });

  it("checks an --auth file against --rules, type-level rules included", async () => {
    const r = await cli(["check", "plain.graphql", "--auth", "auth.json", "--rules", "IsAuthenticated,IsAdmin"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/IsOwner {2}used at Address \(authSchema\)/);
    expect(r.stdout).not.toContain("Uncovered");
    const ok = await cli(["check", "plain.graphql", "--auth", "auth.json", "--rules", "IsAuthenticated,IsAdmin,IsOwner"]);
    expect(ok.code).toBe(0);
  });

  it("takes rule names from a --rules module", async () => {
    const r = await cli(["check", "schema.graphql", "--rules", "rules.mjs"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^gatehouse check: ok \(9 fields, 0 policies\)/);
  });

  it("lists rules a module uses but does not export", async () => {
    const r = await cli(["check", "uses-missing-rule.mjs"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/IsWizard {2}used at Query\.b \(authSchema\)/);
  });

  it("lists policy resources that match no field; policies also cover fields", async () => {
    const r = await cli(["check", "uncovered.graphql", "--policies", "dead-resources.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/policies\[0\]\.resources\[1\]: "Query::postz" \(policy 'read-posts'\) matches no field/);
    expect(r.stdout).toMatch(/policies\[1\]\.resources\[1\]: "Nope::\*"/);
    expect(r.stdout).not.toContain("Stats.spam"); // covered by Stats::*
  });

  it("reports invalid policies as findings with JSON paths", async () => {
    const r = await cli(["check", "schema.graphql", "--policies", "bad-policies.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Invalid policies \(5\):\n {2}policies\[0\]\.effect:/);
  });

  it("prints findings as JSON with --format json", async () => {
    const r = await cli(["check", "uncovered.graphql", "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, uncovered: ["Address.city", "Author.address", "Author.name", "Stats.spam"], rulesChecked: false });
  });

  it.each([
    [["check"], /missing the schema/],
    [["check", "nope.graphql"], /schema nope\.graphql: file not found; check the path/],
    [["check", "invalid.graphql"], /invalid SDL: invalid\.graphql:3:1: Syntax Error: Expected "\]", found "\}"/],
    [["check", "unknown-type.graphql"], /invalid SDL: unknown-type\.graphql: Unknown type "Post"/],
    [["check", "no-schema.mjs"], /no-schema\.mjs: the module must export 'schema'/],
    [["check", "throws.mjs"], /throws\.mjs: the module failed to load: boom at load/],
    [["check", "schema.graphql", "--auth", "invalid.json"], /auth schema file invalid\.json: invalid JSON at line 3, column 15/],
    [["check", "schema.graphql", "--auth", "policies.json"], /auth schema file policies\.json: must be a JSON object/],
    [["check", "schema.graphql", "--auth", "bad-policies.json"], /cannot set up authorization: /],
    [["check", "schema.graphql", "--policies", "nope.json"], /policy file nope\.json: file not found/],
    [["check", "schema.graphql", "--rules", "nope.mjs"], /rules module nope\.mjs: file not found/],
    [["check", "schema.graphql", "--format", "sarif"], /--format must be text or json/],
    [["check", "a.graphql", "b.graphql"], /unexpected argument 'b\.graphql'/],
  ])("input or usage error %j exits 2", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });
});
