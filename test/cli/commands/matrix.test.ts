import { beforeAll, describe, expect, it } from "vitest";
import { cli, ensureBuilt } from "../built-cli.js";

beforeAll(() => ensureBuilt());

function row(markdown: string, coordinate: string): string[] {
  const line = markdown.split("\n").find((l) => l.startsWith(`| \`${coordinate}\``));
  return line ? line.split("|").slice(2, -1).map((c) => c.trim()) : [];
}

describe("gatehouse matrix", () => {
  it("prints a Markdown table of coordinates x roles with allow / deny / depends", async () => {
    const r = await cli(["matrix", "project.mjs", "--as", "anonymous,author,editor,admin"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^# Access matrix\n/);
    expect(r.stdout).toContain("| Field | anonymous | author | editor | admin |");
    expect(row(r.stdout, "Query.posts")).toEqual(["allow", "allow", "allow", "allow"]);
    expect(row(r.stdout, "Query.me")).toEqual(["deny", "allow", "allow", "allow"]);
    expect(row(r.stdout, "User.email")).toEqual(["deny", "deny", "deny", "allow"]);
    expect(row(r.stdout, "Mutation.publishPost")).toEqual(["deny", "deny", "allow", "allow"]);
    expect(row(r.stdout, "Post.notes")).toEqual(["depends", "depends", "depends", "depends"]);
    expect(r.stdout).toMatch(/11 fields\. anonymous: 4 allow, 1 depends, 6 deny/);
  });

  it("accepts identity files, named by their name field or file name", async () => {
    const r = await cli(["matrix", "project.mjs", "--as", "editor.json", "--as", "root-identity.json", "--format", "json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.subjects).toEqual(["jane (editor)", "root-identity"]);
    const email = out.rows.find((x: { coordinate: string }) => x.coordinate === "User.email");
    expect(email.cells).toEqual(["deny", "allow"]);
    const publish = out.rows.find((x: { coordinate: string }) => x.coordinate === "Mutation.publishPost");
    expect(publish.cells).toEqual(["allow", "allow"]); // jane gets the editor role's permissions
  });

  it("prints a self-contained HTML page with sticky headers, a filter box and escaped text", async () => {
    const r = await cli(["matrix", "project.mjs", "--as", "admin", "--format", "html", "--title", "Posts <API> & co"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>/);
    expect(r.stdout).toContain("<title>Posts &lt;API&gt; &amp; co</title>");
    expect(r.stdout).toContain("position:sticky");
    expect(r.stdout).toMatch(/<input id="filter" type="search"/);
    expect(r.stdout).not.toMatch(/<(link|img)|src=|href=/);
    expect(r.stdout).toContain('<th scope="row">User.email</th><td class="allow"');
  });

  it("escapes subject names from identity files in HTML", async () => {
    const r = await cli(["matrix", "project.mjs", "--as", "evil.json", "--format", "html"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("<script>alert");
    expect(r.stdout).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it.each([
    [["matrix", "project.mjs"], /missing --as/],
    [["matrix", "project.mjs", "--as", "boss"], /unknown role 'boss'.*defines: anonymous, author, editor, admin/],
    [["matrix", "project.mjs", "--as", "admin,admin"], /two subjects are named 'admin'/],
    [["matrix", "project.mjs", "--as", "nope.json"], /identity file nope\.json: file not found/],
    [["matrix", "project.mjs", "--as", "invalid.json"], /identity file invalid\.json: invalid JSON at line 3/],
    [["matrix", "project.mjs", "--as", "bad-identity.json"], /"identity" must be null \(anonymous\) or an object with a string "id"/],
    [["matrix", "project.mjs", "--as", "admin", "--format", "pdf"], /--format must be md, html or json/],
    [["matrix", "uses-missing-rule.mjs", "--as", "admin"], /rules used but not defined: IsWizard/],
    [["matrix", "schema.graphql", "--as", "admin"], /rules used but not defined: IsAuthenticated, CanReadPost/],
    [["matrix", "invalid.graphql", "--as", "admin"], /invalid SDL/],
  ])("input or usage error %j exits 2", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });

  it("works on an SDL file with a --rules module", async () => {
    const r = await cli(["matrix", "schema.graphql", "--rules", "rules.mjs", "--as", "anonymous"]);
    expect(r.code).toBe(0);
    expect(row(r.stdout, "Query.version")).toEqual(["allow"]);
    expect(row(r.stdout, "Query.posts")).toEqual(["deny"]);
  });
});
