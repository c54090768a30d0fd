import { describe, expect, it } from "vitest";
import { createPolicyEngine } from "gatehouse/policy";
import { pathProblem, resolvePath, splitPath } from "../../src/policy/context-path.js";

describe("resolvePath", () => {
  const read = (context: unknown, path: string) => resolvePath(context, splitPath(path));

  it("reads nested values and array indexes", () => {
    expect(read({ user: { id: "u" } }, "user.id")).toBe("u");
    expect(read({ user: { roles: ["a", "b"] } }, "user.roles.1")).toBe("b");
  });

  it("returns undefined through missing steps and primitives", () => {
    expect(read({}, "user.id")).toBeUndefined();
    expect(read({ user: null }, "user.id")).toBeUndefined();
    expect(read({ user: "text" }, "user.length")).toBeUndefined();
    expect(read(undefined, "user")).toBeUndefined();
  });

  it("refuses to compile prototype segments", () => {
    for (const path of ["user.__proto__", "user.constructor", "user.constructor.prototype", "fn.prototype", "a..b", ""]) {
      expect(() => splitPath(path)).toThrow(TypeError);
    }
  });

  it("never walks into prototypes, even with hand-made segments", () => {
    expect(resolvePath({ user: {} }, ["user", "__proto__"])).toBeUndefined();
    expect(resolvePath({ user: {} }, ["user", "constructor"])).toBeUndefined();
    expect(resolvePath({ fn: () => 1 }, ["fn", "prototype"])).toBeUndefined();
  });

  it("never reads members of built-in prototypes", () => {
    expect(read({ user: {} }, "user.toString")).toBeUndefined();
    expect(read({ user: {} }, "user.hasOwnProperty")).toBeUndefined();
    expect(read({ user: [] }, "user.length")).toBe(0); // own property of arrays
    expect(read({ user: [] }, "user.map")).toBeUndefined();
  });

  it("reads own keys that happen to be named like JSON-parsed __proto__", () => {
    const parsed = JSON.parse('{"user":{"__proto__":{"isAdmin":true}}}');
    expect(read(parsed, "user.isAdmin")).toBeUndefined();
  });
});

describe("prototype pollution cannot satisfy a condition", () => {
  function setup() {
    return createPolicyEngine([
      {
        id: "admins",
        effect: "allow",
        actions: ["query"],
        resources: ["Query::secrets"],
        roles: ["*"],
        conditions: [{ field: "user.isAdmin", operator: "equals", expected: true }],
      },
      {
        id: "present",
        effect: "allow",
        actions: ["query"],
        resources: ["Query::toString"],
        roles: ["*"],
        conditions: [{ field: "user.toString", operator: "exists" }],
      },
    ]);
  }

  it("ignores a polluted Object.prototype", () => {
    const engine = setup();
    const proto = Object.prototype as Record<string, unknown>;
    proto.isAdmin = true;
    try {
      const decision = engine.evaluate({ resource: "Query::secrets", action: "query", roles: [], context: { user: { id: "u" } } });
      expect(decision.allowed).toBe(false);
    } finally {
      delete proto.isAdmin;
    }
  });

  it("does not count inherited built-ins as present", () => {
    const engine = setup();
    expect(engine.evaluate({ resource: "Query::toString", action: "query", roles: [], context: { user: {} } }).allowed).toBe(false);
  });

  it("rejects forbidden segments at load", () => {
    expect(() =>
      createPolicyEngine([
        { id: "p", effect: "allow", actions: ["q"], resources: ["A::b"], roles: ["*"], conditions: [{ field: "user.__proto__.x", operator: "exists" }] },
      ]),
    ).toThrow(expect.objectContaining({ code: "INVALID_POLICY" }));
  });
});

describe("pathProblem", () => {
  it("accepts dot paths and explains bad ones", () => {
    expect(pathProblem("user.id")).toBeNull();
    expect(pathProblem("")).toMatch(/non-empty/);
    expect(pathProblem("a..b")).toMatch(/empty segment/);
    expect(pathProblem("a.prototype")).toMatch(/forbidden segment 'prototype'/);
  });
});
