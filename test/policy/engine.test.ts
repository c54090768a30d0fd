import { describe, expect, it, vi } from "vitest";
import { createPolicyEngine, type EvaluateInput, type Policy } from "gatehouse/policy";
import { PolicyValidationError } from "gatehouse";
import { roleDeciderOf } from "../../src/policy/engine.js";

const allow = (id: string, extra: Partial<Policy> = {}): Policy => ({
  id,
  effect: "allow",
  actions: ["query"],
  resources: ["Query::posts"],
  roles: ["user"],
  ...extra,
});
const deny = (id: string, extra: Partial<Policy> = {}): Policy => allow(id, { effect: "deny", ...extra });

function setup(policies: Policy[]) {
  const engine = createPolicyEngine(policies);
  const ask = (input: Partial<EvaluateInput> = {}) =>
    engine.evaluate({ resource: "Query::posts", action: "query", roles: ["user"], ...input });
  return { engine, ask };
}

describe("createPolicyEngine", () => {
  it("allows when a policy matches action, resource and role", () => {
    const { ask } = setup([allow("p1")]);
    expect(ask()).toEqual({ allowed: true, effect: "allow", policyId: "p1", reason: "allowed by policy 'p1'" });
  });

  it("denies by default when nothing matches", () => {
    const { ask } = setup([allow("p1")]);
    expect(ask({ action: "mutation" })).toEqual({ allowed: false, effect: "default-deny", reason: "no policy matched" });
    expect(ask({ resource: "Query::users" }).effect).toBe("default-deny");
    expect(ask({ roles: ["guest"] }).effect).toBe("default-deny");
    expect(ask({ roles: [] }).effect).toBe("default-deny");
  });

  it("denies by default with no policies at all", () => {
    const { ask } = setup([]);
    expect(ask()).toMatchObject({ allowed: false, effect: "default-deny" });
  });

  it("lets a deny override an allow whatever the order", () => {
    for (const policies of [[allow("a"), deny("d")], [deny("d"), allow("a")]]) {
      const { ask } = setup(policies);
      expect(ask()).toEqual({ allowed: false, effect: "deny", policyId: "d", reason: "denied by policy 'd'" });
    }
  });

  it("reports the first matching deny (file order) when several match", () => {
    const { ask } = setup([allow("a"), deny("d1", { resources: ["*::*"] }), deny("d2")]);
    expect(ask().policyId).toBe("d1");
  });

  it("reports the first matching allow (file order) when several match", () => {
    const { ask } = setup([allow("a1", { resources: ["Query::*"] }), allow("a2")]);
    expect(ask().policyId).toBe("a1");
  });

  it("treats effect case-insensitively (wahn's Allow / Deny)", () => {
    const { ask, engine } = setup([allow("a", { effect: "Allow" }), deny("d", { effect: "DENY", resources: ["Query::users"] })]);
    expect(ask().allowed).toBe(true);
    expect(ask({ resource: "Query::users" }).effect).toBe("deny");
    expect(engine.policies.map((p) => p.effect)).toEqual(["allow", "deny"]);
  });

  it("throws PolicyValidationError with every issue", () => {
    const bad = [allow("x", { effect: "permit" }), allow("x", { resources: ["nope"] })];
    expect(() => createPolicyEngine(bad)).toThrow(PolicyValidationError);
    expect(() => createPolicyEngine(bad)).toThrow(
      expect.objectContaining({
        code: "INVALID_POLICY",
        issues: [
          expect.objectContaining({ path: "policies[0].effect" }),
          expect.objectContaining({ path: "policies[1].id" }),
          expect.objectContaining({ path: "policies[1].resources[0]" }),
        ],
      }),
    );
  });

  it("accepts { policies: [...] } files with $schema", () => {
    const engine = createPolicyEngine({ $schema: "../schema/policy.schema.json", policies: [allow("p")] });
    expect(engine.policies).toHaveLength(1);
  });

  it("rejects bad options with a TypeError", () => {
    expect(() => createPolicyEngine([], { explainValues: "yes" } as never)).toThrow(TypeError);
    expect(() => createPolicyEngine([], { onConditionError: 1 } as never)).toThrow(TypeError);
    expect(() => createPolicyEngine([], { typo: true } as never)).toThrow(/unknown option 'typo'/);
    expect(() => createPolicyEngine([], 5 as never)).toThrow(TypeError);
  });

  it("freezes normalized policies and never mutates the caller's objects", () => {
    const input = [allow("p", { effect: "Allow", conditions: [{ field: "user.id", operator: "equals", expected: "1" }] })];
    const snapshot = structuredClone(input);
    const { engine } = setup(input);
    expect(input).toEqual(snapshot);
    expect(Object.isFrozen(engine.policies)).toBe(true);
    expect(Object.isFrozen(engine.policies[0])).toBe(true);
    expect(Object.isFrozen(engine.policies[0]!.conditions![0])).toBe(true);
    expect(engine.policies[0]!.conditions![0]!.expected).toEqual(["1"]);
    expect(Object.isFrozen(engine)).toBe(true);
  });
});

describe("wildcards", () => {
  const cases: Array<[label: string, pattern: string, resource: string, expected: boolean]> = [
    ["exact", "Query::posts", "Query::posts", true],
    ["exact, other field", "Query::posts", "Query::users", false],
    ["Type::*", "User::*", "User::email", true],
    ["Type::*, other type", "User::*", "Post::email", false],
    ["*::field", "*::password", "User::password", true],
    ["*::field, other field", "*::password", "User::email", false],
    ["*::*", "*::*", "Anything::goes", true],
    ["glob in field", "Post::title*", "Post::titleHtml", true],
    ["glob in field, miss", "Post::title*", "Post::body", false],
    ["glob in type", "*Payload::errors", "CreatePostPayload::errors", true],
    ["glob in type, miss", "*Payload::errors", "Post::errors", false],
    ["star never spans ::", "Query*::posts", "Query::posts", true],
  ];
  it.each(cases)("%s: %s vs %s", (_label, pattern, resource, expected) => {
    const { ask } = setup([allow("p", { resources: [pattern] })]);
    expect(ask({ resource }).allowed).toBe(expected);
  });

  it("matches actions exactly, by '*' or by glob", () => {
    const { ask } = setup([
      allow("exact", { actions: ["query"], resources: ["A::a"] }),
      allow("any", { actions: ["*"], resources: ["B::b"] }),
      allow("glob", { actions: ["sub*"], resources: ["C::c"] }),
    ]);
    expect(ask({ resource: "A::a", action: "query" }).allowed).toBe(true);
    expect(ask({ resource: "A::a", action: "mutation" }).allowed).toBe(false);
    expect(ask({ resource: "B::b", action: "anything" }).allowed).toBe(true);
    expect(ask({ resource: "C::c", action: "subscription" }).allowed).toBe(true);
    expect(ask({ resource: "C::c", action: "query" }).allowed).toBe(false);
  });

  it("treats a literal '*' in the request as text, not as a wildcard", () => {
    const { ask } = setup([allow("p", { resources: ["User::email"] })]);
    expect(ask({ resource: "*::*" }).allowed).toBe(false);
    expect(ask({ resource: "User::*" }).allowed).toBe(false);
    expect(ask({ action: "*" }).allowed).toBe(false);
  });
});

describe("roles", () => {
  it("'*' matches any caller, also one without roles", () => {
    const { ask } = setup([allow("p", { roles: ["*"] })]);
    expect(ask({ roles: [] }).allowed).toBe(true);
    expect(ask({ roles: ["whoever"] }).allowed).toBe(true);
  });

  it("matches when any of the caller's roles is listed, case-sensitively", () => {
    const { ask } = setup([allow("p", { roles: ["editor", "admin"] })]);
    expect(ask({ roles: ["viewer", "admin"] }).allowed).toBe(true);
    expect(ask({ roles: ["Admin"] }).allowed).toBe(false);
  });

  it("supports globs in roles", () => {
    const { ask } = setup([allow("p", { roles: ["team:*"] })]);
    expect(ask({ roles: ["team:blue"] }).allowed).toBe(true);
    expect(ask({ roles: ["teams"] }).allowed).toBe(false);
  });

  it("ignores non-string roles in the request", () => {
    const { ask } = setup([allow("p")]);
    expect(ask({ roles: [1, null, "user"] as never }).allowed).toBe(true);
    expect(ask({ roles: [1, null] as never }).allowed).toBe(false);
  });
});

describe("input checks", () => {
  it("denies malformed resources", () => {
    const { ask } = setup([allow("p", { resources: ["*::*"] })]);
    for (const resource of ["Query", "Query::", "::posts", "A::B::C", "A:::B", ""]) {
      expect(ask({ resource })).toEqual({ allowed: false, effect: "default-deny", reason: "malformed resource" });
    }
  });

  it("denies unusable input instead of throwing", () => {
    const { engine } = setup([allow("p", { resources: ["*::*"], actions: ["*"], roles: ["*"] })]);
    const bad = [null, {}, { resource: 1, action: "query", roles: [] }, { resource: "A::b", action: null, roles: [] }, { resource: "A::b", action: "q", roles: "admin" }];
    for (const input of bad) {
      expect(engine.evaluate(input as never)).toEqual({ allowed: false, effect: "default-deny", reason: "invalid input" });
      expect(engine.explain(input as never)).toMatchObject({ allowed: false, effect: "default-deny", considered: [] });
    }
  });
});

describe("hostile input", () => {
  it("denies when reading the roles throws", () => {
    const { ask } = setup([allow("p")]);
    const roles = new Proxy(["user"], {
      get() {
        throw new Error("trap");
      },
    });
    expect(ask({ roles })).toEqual({ allowed: false, effect: "default-deny", reason: "evaluation error" });
  });

  it("keeps deciding correctly after many distinct resources (bounded parse cache)", () => {
    const { ask } = setup([allow("p", { resources: ["Query::*"] })]);
    for (let i = 0; i < 10_050; i++) expect(ask({ resource: `Query::f${i}` }).allowed).toBe(true);
    expect(ask({ resource: "Query" }).reason).toBe("malformed resource");
    expect(ask({ resource: "Query::posts" }).allowed).toBe(true);
  });
});

describe("condition errors fail closed", () => {
  const throwing = {
    user: {
      get id(): string {
        throw new Error("secret-token-123");
      },
    },
  };

  it("turns an allow whose condition throws into a deny with reason 'condition error'", () => {
    const { ask } = setup([allow("p", { conditions: [{ field: "user.id", operator: "equals", expected: "1" }] })]);
    expect(ask({ context: throwing })).toEqual({ allowed: false, effect: "deny", policyId: "p", reason: "condition error" });
  });

  it("denies even when another policy allows", () => {
    const { ask } = setup([allow("ok"), allow("boom", { conditions: [{ field: "user.id", operator: "exists" }] })]);
    expect(ask({ context: throwing })).toMatchObject({ allowed: false, policyId: "boom", reason: "condition error" });
  });

  it("calls onConditionError and survives a throwing hook", () => {
    const seen = vi.fn(() => {
      throw new Error("hook broke");
    });
    const engine = createPolicyEngine([allow("p", { conditions: [{ field: "user.id", operator: "equals", expected: "1" }] })], { onConditionError: seen });
    const decision = engine.evaluate({ resource: "Query::posts", action: "query", roles: ["user"], context: throwing });
    expect(decision.allowed).toBe(false);
    expect(seen).toHaveBeenCalledWith("p", expect.any(Error));
    expect(JSON.stringify(decision)).not.toContain("secret-token-123");
  });
});

describe("resourcesMatching", () => {
  it("lists the resources some policy covers, optionally by action and effect", () => {
    const { engine } = setup([
      allow("a", { resources: ["Query::*"] }),
      deny("d", { actions: ["mutation"], resources: ["*::password"] }),
      allow("g", { actions: ["*"], resources: ["Post::title*"] }),
    ]);
    const all = ["Query::posts", "User::password", "Post::titleHtml", "Post::body", "bad"];
    expect(engine.resourcesMatching(all)).toEqual(["Query::posts", "User::password", "Post::titleHtml"]);
    expect(engine.resourcesMatching(all, { action: "query" })).toEqual(["Query::posts", "Post::titleHtml"]);
    expect(engine.resourcesMatching(all, { effect: "deny" })).toEqual(["User::password"]);
  });
});

describe("decisions remembered per role set", () => {
  const engine = createPolicyEngine([
    { id: "admins", effect: "allow", actions: ["query"], resources: ["Post::body"], roles: ["admin"] },
    { id: "editors", effect: "allow", actions: ["query"], resources: ["Post::title"], roles: ["editor"] },
    { id: "no-title-for-guests", effect: "deny", actions: ["query"], resources: ["Post::title"], roles: ["guest"] },
    { id: "own", effect: "allow", actions: ["query"], resources: ["Post::author"], roles: ["*"], conditions: [{ field: "user.id", operator: "equals", expected: ["u1"] }] },
  ]);
  const ask = (resource: string, roles: unknown[], user?: unknown) => engine.evaluate({ resource, action: "query", roles: roles as string[], context: { user } });

  it("gives each role set its own answer, in any order of asking", () => {
    for (let round = 0; round < 3; round++) {
      expect(ask("Post::body", ["admin"]).allowed).toBe(true);
      expect(ask("Post::body", ["user"]).allowed).toBe(false);
      expect(ask("Post::body", []).allowed).toBe(false);
      expect(ask("Post::title", ["editor"]).allowed).toBe(true);
      expect(ask("Post::title", ["editor", "guest"]).effect).toBe("deny");
      expect(ask("Post::title", ["guest", "editor"]).effect).toBe("deny");
    }
  });

  it("never lets two role lists share an answer through the separator", () => {
    expect(ask("Post::body", ["admin\u0000x"]).allowed).toBe(false);
    expect(ask("Post::body", ["x", "admin"]).allowed).toBe(true);
    expect(ask("Post::body", ["x\u0000admin"]).allowed).toBe(false);
  });

  it("keeps judging fields whose policies read the context", () => {
    expect(ask("Post::author", ["user"], { id: "u1" }).allowed).toBe(true);
    expect(ask("Post::author", ["user"], { id: "u2" }).allowed).toBe(false);
    expect(ask("Post::author", ["user"], { id: "u1" }).allowed).toBe(true);
  });

  it("remembers what was decided, not what a changing role list says later", () => {
    let reads = 0;
    // A list whose first role changes on every read: the answer is for the roles the key was made of.
    const shifty = new Proxy(["user"], { get: (t, k) => (k === "0" ? (reads++ === 0 ? "user" : "admin") : Reflect.get(t, k)) });
    expect(ask("Post::body", shifty as unknown as unknown[]).allowed).toBe(false);
    expect(ask("Post::body", ["user"]).allowed).toBe(false);
    expect(ask("Post::body", ["admin"]).allowed).toBe(true);
  });
});

describe("the role-only shortcut", () => {
  const policies = [
    { id: "admins", effect: "allow", actions: ["query"], resources: ["Post::body"], roles: ["admin"] },
    { id: "own", effect: "allow", actions: ["query"], resources: ["Post::author"], roles: ["*"], conditions: [{ field: "user.id", operator: "equals", expected: ["u1"] }] },
  ];

  it("answers only what evaluate already decided from the roles alone", () => {
    const engine = createPolicyEngine(policies);
    const decide = roleDeciderOf(engine)!;
    expect(decide).toBeTypeOf("function");
    // Nothing remembered yet: the caller must evaluate in full.
    expect(decide("Post::body", "query", ["admin"])).toBeUndefined();
    const full = engine.evaluate({ resource: "Post::body", action: "query", roles: ["admin"], context: {} });
    expect(decide("Post::body", "query", ["admin"])).toEqual(full);
    expect(decide("Post::body", "query", ["user"])).toBeUndefined();
  });

  it("never answers for a resource whose policies read the context, a malformed resource or odd roles", () => {
    const engine = createPolicyEngine(policies);
    const decide = roleDeciderOf(engine)!;
    for (let i = 0; i < 2; i++) engine.evaluate({ resource: "Post::author", action: "query", roles: ["user"], context: { user: { id: "u1" } } });
    expect(decide("Post::author", "query", ["user"])).toBeUndefined();
    expect(decide("no-separator", "query", ["admin"])).toBeUndefined();
    expect(decide("Post::body", "query", [42])).toBeUndefined();
    const hostile = new Proxy([], { get: () => { throw new Error("boom"); } });
    expect(decide("Post::body", "query", hostile)).toBeUndefined();
  });

  it("is absent for an engine of another make", () => {
    const foreign = { policies: [], evaluate: () => ({ allowed: true }) } as unknown as Parameters<typeof roleDeciderOf>[0];
    expect(roleDeciderOf(foreign)).toBeNull();
  });
});
