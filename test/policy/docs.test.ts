// Every JSON example in docs/policy.md loads, and decides as the doc says.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createPolicyEngine, type PolicyEngine } from "gatehouse/policy";

function setup() {
  const doc = readFileSync(new URL("../../docs/policy.md", import.meta.url), "utf8");
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  /** The engine of the last (most focused) example that defines policy `id`. */
  const example = (id: string): PolicyEngine => {
    const found = blocks.filter((b) => b.includes(`"id": "${id}"`));
    expect(found, `examples defining '${id}'`).not.toHaveLength(0);
    return createPolicyEngine(JSON.parse(found[found.length - 1]!));
  };
  return { doc, blocks, example };
}

const ask = (engine: PolicyEngine, resource: string, context: Record<string, unknown>, action = "query") =>
  engine.evaluate({ resource, action, roles: [], context });

describe("docs/policy.md examples", () => {
  it("has JSON examples, and every one parses and loads", () => {
    const { blocks } = setup();
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) expect(() => createPolicyEngine(JSON.parse(block)), block.slice(0, 80)).not.toThrow();
  });

  it("the file-format example decides as its summary says", () => {
    const engine = setup().example("small-pages");
    const alice = { id: "alice" };
    expect(ask(engine, "Query::posts", { user: alice, args: { limit: 100 } }).allowed).toBe(true);
    expect(ask(engine, "Query::posts", { args: {} }).allowed).toBe(true);
    expect(ask(engine, "Query::posts", { args: { limit: 500 } })).toMatchObject({ allowed: false, policyId: "small-pages" });
    expect(ask(engine, "User::name", { user: alice, root: { id: "bob" } }).allowed).toBe(true);
    expect(ask(engine, "User::password", { user: alice, root: { id: "alice" } })).toMatchObject({ allowed: false, policyId: "no-passwords" });
    expect(ask(engine, "User::email", { user: alice, root: { id: "alice" } }).allowed).toBe(true);
    expect(ask(engine, "User::email", { user: alice, root: { id: "bob" } })).toMatchObject({ allowed: false, policyId: "own-profile-only" });
    expect(ask(engine, "User::email", { root: { id: "bob" } })).toMatchObject({ allowed: false, policyId: "own-profile-only" });
  });

  it("the exists guard example lets users without the attribute pass", () => {
    const engine = setup().example("no-banned-users");
    expect(ask(engine, "Query::feed", { user: { id: "u1" } }).allowed).toBe(true);
    expect(ask(engine, "Query::feed", { user: { id: "u1", banned: false } }).allowed).toBe(true);
    expect(ask(engine, "Query::feed", { user: { id: "u1", banned: true } })).toMatchObject({ allowed: false, policyId: "no-banned-users" });
    // The claim about the unguarded version.
    const unguarded = createPolicyEngine(
      engine.policies.map((p) => (p.id === "no-banned-users" ? { ...p, conditions: p.conditions!.slice(1) } : p)),
    );
    expect(ask(unguarded, "Query::feed", { user: { id: "u1" } })).toMatchObject({ allowed: false, policyId: "no-banned-users" });
  });

  it("the own-profile example decides every row of its table", () => {
    const { example, doc } = setup();
    const engine = example("own-profile-only");
    expect(engine.policies.map((p) => p.id)).toEqual(["read-users", "own-profile-only"]);
    const alice = { id: "alice" };
    expect(ask(engine, "User::email", { user: alice, root: { id: "alice" } })).toMatchObject({ allowed: true, policyId: "read-users" });
    expect(ask(engine, "User::email", { user: alice, root: { id: "bob" } })).toMatchObject({ allowed: false, policyId: "own-profile-only" });
    expect(ask(engine, "User::email", { user: alice, root: {} })).toMatchObject({ allowed: false, policyId: "own-profile-only" });
    for (const root of [{ id: "alice" }, { id: "bob" }, {}]) {
      expect(ask(engine, "User::email", { root })).toMatchObject({ allowed: false, policyId: "own-profile-only" });
    }
    const depends = ask(engine, "User::email", { user: alice });
    expect(depends).toEqual({
      allowed: false,
      effect: "deny",
      policyId: "own-profile-only",
      reason: "depends on the object: policy 'own-profile-only' reads root",
      dependsOnObject: true,
    });
    // The doc quotes this decision verbatim.
    expect(doc).toContain(`reason: "${depends.reason}", dependsOnObject: true }`);
    expect(engine.objectPaths("User::email", "query")).toEqual(["id"]);
  });

  it("the plan example returns the filter the doc shows", () => {
    const engine = createPolicyEngine([
      { id: "published", effect: "allow", actions: ["query"], resources: ["Recipe::*"], roles: ["*"], conditions: [{ field: "root.published", operator: "equals", expected: true }] },
      { id: "own", effect: "allow", actions: ["query"], resources: ["Recipe::*"], roles: ["*"], conditions: [{ field: "root.createdBy.id", operator: "equals", expectedOnContext: ["user.id"] }] },
    ]);
    const filter = engine.plan({ resource: "Recipe::*", action: "query", roles: [], context: { user: { id: "u1" } } });
    expect(filter).toEqual({
      kind: "where",
      where: { op: "or", of: [{ op: "in", field: "published", values: [true] }, { op: "in", field: "createdBy.id", values: ["u1"] }] },
    });
    expect(setup().doc).toContain('{ op: "in", field: "createdBy.id", values: ["u1"] } ] } }');
  });
});
