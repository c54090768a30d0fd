import { beforeAll, describe, expect, it } from "vitest";
import { cli, ensureBuilt } from "../built-cli.js";

beforeAll(() => ensureBuilt());

const base = ["explain", "--policies", "policies.json", "--action", "query"];

describe("gatehouse explain", () => {
  it("exits 0 when allowed and lists every policy considered", async () => {
    const r = await cli([...base, "--resource", "Query::posts", "--roles", "editor"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^query Query::posts as roles \[editor\]\nALLOWED by policy 'editors-read'/);
    expect(r.stdout).toMatch(/4 policies considered/);
    expect(r.stdout).toMatch(/match\s+editors-read\s+allow\s+matched/);
    expect(r.stdout).toMatch(/no\s+admins-write\s+allow\s+action 'query' not in \[mutation\]/);
  });

  it("exits 1 when a deny policy overrides an allow", async () => {
    const r = await cli([...base, "--resource", "Query::secret", "--roles", "editor"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DENIED by policy 'no-secrets' \(deny\)/);
  });

  it("exits 1 with default-deny for anonymous callers", async () => {
    const r = await cli([...base, "--resource", "Query::posts"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/as roles \[\]\nDENIED \(default-deny\)/);
    expect(r.stdout).toMatch(/roles \[\] not in \[editor\]/);
  });

  it("reads conditions from --context", async () => {
    const denied = await cli([...base, "--resource", "Query::drafts", "--roles", "author"]);
    expect(denied.code).toBe(1);
    const allowed = await cli([...base, "--resource", "Query::drafts", "--roles", "author", "--context", "context.json"]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/ALLOWED by policy 'own-drafts'/);
  });

  it("hides compared values unless --show-values", async () => {
    const args = [...base, "--resource", "Query::drafts", "--roles", "author", "--context", "context-other.json"];
    const hidden = await cli(args);
    expect(hidden.code).toBe(1);
    expect(hidden.stdout).toMatch(/own-drafts .*user\.id equals: got string/);
    expect(hidden.stdout).not.toContain("u2");
    const shown = await cli([...args, "--show-values"]);
    expect(shown.stdout).toContain('"u2"');
  });

  it("accepts several roles, comma-separated or repeated", async () => {
    const a = await cli([...base, "--resource", "Query::posts", "--roles", "author,editor"]);
    const b = await cli([...base, "--resource", "Query::posts", "--roles", "author", "--roles", "editor"]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it("prints JSON with --format json", async () => {
    const r = await cli([...base, "--resource", "Query::posts", "--roles", "editor", "--format", "json"]);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ allowed: true, effect: "allow", policyId: "editors-read", roles: ["editor"] });
    expect(out.considered).toHaveLength(4);
  });

  it("shows a policy that reads the object as depending on it when the context has no root", async () => {
    const own = ["explain", "--policies", "own-profile.json", "--action", "query", "--resource", "User::email"];
    const depends = await cli([...own, "--context", "alice.json"]);
    expect(depends.code).toBe(1);
    expect(depends.stdout).toMatch(/\nDEPENDS ON THE OBJECT \(denied without one; .*\): depends on the object: policy 'own-profile-only' reads root\n/);
    expect(depends.stdout).toMatch(/obj\?\s+own-profile-only\s+deny\s+condition\[0\] user\.id notMatch: depends on the object \(reads root\.id; the context has no root\)/);
    expect(depends.stdout).not.toMatch(/ALLOWED|DENIED/);
    const json = JSON.parse((await cli([...own, "--context", "alice.json", "--format", "json"])).stdout);
    expect(json).toMatchObject({ allowed: false, dependsOnObject: true, policyId: "own-profile-only" });
    const own_ = await cli([...own, "--context", "alice-own-profile.json"]);
    expect(own_.code).toBe(0);
    expect(own_.stdout).toMatch(/ALLOWED by policy 'read-users'/);
    // Anonymous: user.id is missing, so the deny cannot be evaluated and matches.
    const anonymous = await cli(own);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stdout).toMatch(/DENIED by policy 'own-profile-only' \(deny\)/);
    expect(anonymous.stdout).toMatch(/cannot be evaluated: user\.id is missing \(a deny matches/);
  });

  it.each([
    [["explain", "--resource", "Query::posts", "--action", "query"], /missing --policies/],
    [["explain", "--policies", "policies.json", "--action", "query"], /missing --resource/],
    [["explain", "--policies", "policies.json", "--resource", "Query::posts"], /missing --action/],
    [[...base, "--resource", "Query.posts"], /--resource must look like Type::field/],
    [[...base, "--resource", "Query::posts", "--format", "yaml"], /--format must be text or json/],
    [[...base, "--resource", "Query::posts", "--bogus"], /Unknown option '--bogus'/],
  ])("usage error %j exits 2", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });

  it.each([
    [["--policies", "nope.json"], /policy file nope\.json: file not found/],
    [["--policies", "invalid.json"], /invalid\.json: invalid JSON at line 3, column 15/],
    [["--policies", "bad-policies.json"], /5 invalid entries:\n {2}policies\[0\]\.effect/],
    [["--policies", "policies.json", "--context", "nope.json"], /context file nope\.json: file not found/],
    [["--policies", "policies.json", "--context", "policies.json"], /context file policies\.json: must be a JSON object/],
  ])("bad input %j exits 2", async (args, message) => {
    const r = await cli(["explain", "--action", "query", "--resource", "Query::posts", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
