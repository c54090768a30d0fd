import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createPolicyEngine, validatePolicies } from "gatehouse/policy";

const fixture: unknown = JSON.parse(readFileSync(new URL("./fixtures/wahn-blog-policies.json", import.meta.url), "utf8"));

function setup() {
  const engine = createPolicyEngine(fixture);
  const me = { userId: "u-1" };
  const ask = (resource: string, action: string, roles: string[], context: Record<string, unknown> = {}) =>
    engine.evaluate({ resource, action, roles, context: { user: me, ...context } });
  return { engine, ask };
}

describe("wahn-format policy file", () => {
  it("loads unchanged", () => {
    expect(validatePolicies(fixture)).toEqual([]);
    const { engine } = setup();
    expect(engine.policies).toHaveLength(7);
    expect(engine.policies[0]!.effect).toBe("allow");
  });

  it("allows authenticated reads and denies the password field to everyone", () => {
    const { ask } = setup();
    expect(ask("Query::topPosts", "query", ["authenticated user"], { args: { limit: 10 } }).allowed).toBe(true);
    // Without args.limit the small-pages deny cannot be evaluated, so it denies (as wahn, which errors).
    expect(ask("Query::topPosts", "query", ["authenticated user"])).toMatchObject({ allowed: false, policyId: "0b2c4e6f-small-pages" });
    expect(ask("Post::title", "query", ["editor"]).allowed).toBe(true);
    expect(ask("Query::topPosts", "query", ["anonymous"], { args: { limit: 10 } }).effect).toBe("default-deny");
    expect(ask("User::password", "query", ["authenticated user"], { root: { id: "u-1" } })).toMatchObject({
      allowed: false,
      policyId: "c3d2a8f1-deny-password",
    });
  });

  it("lets users read only their own User (notMatch with expectedOnContext)", () => {
    const { ask } = setup();
    expect(ask("User::email", "query", ["authenticated user"], { root: { id: "u-1" } }).allowed).toBe(true);
    expect(ask("User::email", "query", ["authenticated user"], { root: { id: "u-2" } })).toMatchObject({
      allowed: false,
      policyId: "d9b0e6a2-own-user-only",
    });
  });

  it("lets anyone log in and change only their own password (args)", () => {
    const { ask } = setup();
    expect(ask("Mutation::login", "mutation", ["anonymous"]).allowed).toBe(true);
    expect(ask("Mutation::updatePassword", "mutation", ["authenticated user"], { args: { id: "u-1" } }).allowed).toBe(true);
    expect(ask("Mutation::updatePassword", "mutation", ["authenticated user"], { args: { id: "u-2" } }).allowed).toBe(false);
    expect(ask("Mutation::updatePassword", "mutation", ["authenticated user"], { args: { id: "*" } }).allowed).toBe(false);
  });

  it("reads request data (a glob in expected) and numeric args (greaterThan)", () => {
    const { ask } = setup();
    expect(ask("Mutation::publishPost", "mutation", ["editor"], { request: { ip: "10.0.1.7" } }).allowed).toBe(true);
    expect(ask("Mutation::publishPost", "mutation", ["editor"], { request: { ip: "8.8.8.8" } }).allowed).toBe(false);
    expect(ask("Query::topPosts", "query", ["editor"], { args: { limit: 10 } }).allowed).toBe(true);
    expect(ask("Query::topPosts", "query", ["editor"], { args: { limit: 500 } })).toMatchObject({ allowed: false, policyId: "0b2c4e6f-small-pages" });
  });
});
