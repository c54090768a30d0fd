// Composite rules as GraphQL AuthZ documents them: AndRule / OrRule /
// NotRule classes with getRules(), and/or/not values (spread or one array),
// composites of composites, pre and post rules mixed, and the inline
// `compositeRules` / `deepCompositeRules` of authSchema and @authz.
import { describe, expect, it } from "vitest";
import { buildSchema, parse } from "graphql";
import { and, AndRule, createAuthz, not, NotRule, or, OrRule, postExecRule, PostExecutionRule, preExecRule, PreExecutionRule } from "gatehouse/graphql";
import { codes, MODES, setup, type User } from "./harness.js";

const member: User = { id: "u1", role: "customer" };

class Deny extends PreExecutionRule {
  execute() {
    throw this.error;
  }
}
class Pass extends PreExecutionRule {
  execute() {
    return;
  }
}
class DenyAfter extends PostExecutionRule {
  execute() {
    throw this.error;
  }
}
class PassAfter extends PostExecutionRule {
  execute() {
    return;
  }
}

// Class composites, each named after the expected outcome.
class DeniedAnd extends AndRule { getRules() { return [Deny, PassAfter]; } }
class AllowedAnd extends AndRule { getRules() { return [Pass, PassAfter]; } }
class DeniedOr extends OrRule { getRules() { return [Deny, DenyAfter]; } }
class AllowedOr extends OrRule { getRules() { return [Deny, PassAfter]; } }
class DeniedNot extends NotRule { getRules() { return [Pass]; } }
class AllowedNot extends NotRule { getRules() { return [DenyAfter]; } }
class DeniedDeepAnd extends AndRule { getRules() { return [DeniedAnd, AllowedOr]; } }
class AllowedDeepAnd extends AndRule { getRules() { return [AllowedOr, AllowedAnd]; } }
class DeniedDeepOr extends OrRule { getRules() { return [DeniedAnd, DeniedOr]; } }
class AllowedDeepOr extends OrRule { getRules() { return [AllowedAnd, DeniedOr]; } }
class DeniedDeepNot extends NotRule { getRules() { return [AllowedDeepOr]; } }
class AllowedDeepNot extends NotRule { getRules() { return [DeniedDeepAnd]; } }

const classRules = {
  Deny, Pass, DenyAfter, PassAfter,
  DeniedAnd, AllowedAnd, DeniedOr, AllowedOr, DeniedNot, AllowedNot,
  DeniedDeepAnd, AllowedDeepAnd, DeniedDeepOr, AllowedDeepOr, DeniedDeepNot, AllowedDeepNot,
};

// The same composites from the functional factories, mixing classes in as GraphQL AuthZ allows.
const fDeny = preExecRule()(() => false);
const fPass = preExecRule()(() => true);
const fDenyAfter = postExecRule()(() => false);
const fPassAfter = postExecRule()(() => true);
const functionalRules = {
  Deny: fDeny, Pass: fPass, DenyAfter: fDenyAfter, PassAfter: fPassAfter,
  DeniedAnd: and(fDeny, PassAfter),
  AllowedAnd: and([fPass, fPassAfter]),
  DeniedOr: or(fDeny, fDenyAfter),
  AllowedOr: or([Deny, fPassAfter]),
  DeniedNot: not(fPass),
  AllowedNot: not(fDenyAfter),
  DeniedDeepAnd: and(and(fDeny, fPassAfter), or(fDeny, fPassAfter)),
  AllowedDeepAnd: and(or(fDeny, fPassAfter), and(fPass, fPassAfter)),
  DeniedDeepOr: or(and(fDeny, fPassAfter), or(fDeny, fDenyAfter)),
  AllowedDeepOr: or(and(fPass, fPassAfter), or(fDeny, fDenyAfter)),
  DeniedDeepNot: not(or(and(fPass, fPassAfter), or(fDeny, fDenyAfter))),
  AllowedDeepNot: not(and(and(fDeny, fPassAfter), or(fDeny, fPassAfter))),
};

const inline = {
  And: { denied: { compositeRules: [{ and: ["Deny", "PassAfter"] }] }, allowed: { compositeRules: [{ and: ["Pass", "PassAfter"] }] } },
  Or: { denied: { compositeRules: [{ or: ["Deny", "DenyAfter"] }] }, allowed: { compositeRules: [{ or: ["Deny", "PassAfter"] }] } },
  Not: { denied: { compositeRules: [{ not: "Pass" }] }, allowed: { compositeRules: [{ not: "DenyAfter" }] } },
  DeepAnd: {
    denied: { deepCompositeRules: [{ and: [{ and: [{ id: "Deny" }, { id: "PassAfter" }] }, { or: [{ id: "Deny" }, { id: "PassAfter" }] }] }] },
    allowed: { deepCompositeRules: [{ and: [{ or: [{ id: "Deny" }, { id: "PassAfter" }] }, { and: [{ id: "Pass" }, { id: "PassAfter" }] }] }] },
  },
  DeepOr: {
    denied: { deepCompositeRules: [{ or: [{ and: [{ id: "Deny" }, { id: "PassAfter" }] }, { or: [{ id: "Deny" }, { id: "DenyAfter" }] }] }] },
    allowed: { deepCompositeRules: [{ or: [{ and: [{ id: "Pass" }, { id: "PassAfter" }] }, { or: [{ id: "Deny" }, { id: "DenyAfter" }] }] }] },
  },
  DeepNot: {
    denied: { deepCompositeRules: [{ not: { or: [{ and: [{ id: "Pass" }, { id: "PassAfter" }] }, { or: [{ id: "Deny" }, { id: "DenyAfter" }] }] } }] },
    allowed: { deepCompositeRules: [{ not: { and: [{ and: [{ id: "Deny" }, { id: "PassAfter" }] }, { or: [{ id: "Deny" }, { id: "PassAfter" }] }] } }] },
  },
} as const;

const kinds = ["And", "Or", "Not", "DeepAnd", "DeepOr", "DeepNot"] as const;
const outcomes = ["Denied", "Allowed"] as const;
// Every combination gets a scalar field and a list field.
const fields = kinds.flatMap((k) => outcomes.flatMap((o) => [`${o}${k}`, `${o}${k}Inline`]));
const sdl = `
  type Probe {
    ${fields.map((f) => `${f}: String @@Probe.${f}\n    ${f}List: [String] @@Probe.${f}List`).join("\n    ")}
  }
  type Query { probe: Probe }
`;
const attach: Record<string, object> = {};
for (const k of kinds) {
  for (const o of outcomes) {
    const named = { rules: [`${o}${k}`] };
    const config = inline[k][o === "Denied" ? "denied" : "allowed"];
    attach[`Probe.${o}${k}`] = named;
    attach[`Probe.${o}${k}List`] = named;
    attach[`Probe.${o}${k}Inline`] = config;
    attach[`Probe.${o}${k}InlineList`] = config;
  }
}
const probeFields: Array<[string, () => unknown]> = fields.flatMap((f) => [[f, () => "value"], [`${f}List`, () => ["a", "b"]]] as Array<[string, () => unknown]>);
const resolvers = { Query: { probe: () => ({}) }, Probe: Object.fromEntries(probeFields) };

describe.each(MODES)("composite rules (%s)", (mode) => {
  describe.each([["classes", classRules], ["functional", functionalRules]] as const)("%s", (_n, rules) => {
    const h = setup({ sdl, attach: attach as never, rules: rules as never, resolvers, mode });
    it.each(fields.flatMap((f) => [f, `${f}List`]))("%s", async (field) => {
      const result = await h.run(`{ probe { ${field} } }`, member);
      const probe = (result.data as { probe: Record<string, unknown> } | null)?.probe;
      if (field.startsWith("Denied")) {
        expect(codes(result)).toContain("FORBIDDEN");
        expect(probe?.[field] ?? null).toBeNull();
      } else {
        expect(result.errors).toBeUndefined();
        expect(probe?.[field]).toEqual(field.endsWith("List") ? ["a", "b"] : "value");
      }
    });
  });
});

describe("composite rules: details", () => {
  it("compositeRules items with several keys must all allow (or AND not)", async () => {
    for (const mode of MODES) {
      const h = setup({
        sdl: "type Query { a: String @@Query.a  b: String @@Query.b }",
        attach: { "Query.a": { compositeRules: [{ or: ["Deny", "Pass"], not: ["Deny"] }] }, "Query.b": { compositeRules: [{ or: ["Deny", "Pass"], not: ["Pass"] }] } },
        rules: { Deny, Pass },
        resolvers: { Query: { a: () => "a", b: () => "b" } },
        mode,
      });
      expect(await h.run("{ a }", member)).toEqual({ data: { a: "a" } });
      expect(codes(await h.run("{ b }", member))).toEqual(["FORBIDDEN"]);
    }
  });

  it("`rules`, `compositeRules` and `deepCompositeRules` in one entry must all allow", async () => {
    const h = setup({
      sdl: "type Query { a: String @@Query.a  b: String @@Query.b }",
      attach: {
        "Query.a": { rules: ["Pass"], compositeRules: [{ or: ["Deny", "Pass"] }], deepCompositeRules: [{ id: "Pass" }] },
        "Query.b": { rules: ["Pass"], compositeRules: [{ or: ["Deny", "Pass"] }], deepCompositeRules: [{ id: "Deny" }] },
      },
      rules: { Deny, Pass },
      resolvers: { Query: { a: () => "a", b: () => "b" } },
      mode: "authSchema",
    });
    expect(await h.run("{ a }", member)).toEqual({ data: { a: "a" } });
    expect(codes(await h.run("{ b }", member))).toEqual(["FORBIDDEN"]);
  });

  it("a NotRule of several rules allows only when every one denies", async () => {
    class NoneOf extends NotRule { getRules() { return [Deny, Pass]; } }
    class NoneOfBoth extends NotRule { getRules() { return [Deny, DenyAfter]; } }
    const h = setup({
      sdl: "type Query { a: String @@Query.a  b: String @@Query.b  c: String @@Query.c }",
      attach: { "Query.a": { rules: ["NoneOf"] }, "Query.b": { rules: ["NoneOfBoth"] }, "Query.c": { compositeRules: [{ not: ["Deny", "Pass"] }] } },
      rules: { NoneOf, NoneOfBoth, Deny, Pass },
      resolvers: { Query: { a: () => "a", b: () => "b", c: () => "c" } },
      mode: "authSchema",
    });
    expect(codes(await h.run("{ a }", member))).toEqual(["FORBIDDEN"]);
    expect(await h.run("{ b }", member)).toEqual({ data: { b: "b" } });
    expect(codes(await h.run("{ c }", member))).toEqual(["FORBIDDEN"]);
  });

  it("a denied `not` sends the inner rule's notError", async () => {
    class Member extends PreExecutionRule {
      override notError = "Members may not do this";
      execute() {
        return true;
      }
    }
    const h = setup({
      sdl: "type Query { a: String @@Query.a  b: String @@Query.b }",
      attach: { "Query.a": { rules: ["NotMember"] }, "Query.b": { rules: ["NotMemberFn"] } },
      rules: { NotMember: not(Member), NotMemberFn: not(preExecRule({ notError: "fn notError" })(() => true)) },
      resolvers: { Query: { a: () => "a", b: () => "b" } },
      mode: "authSchema",
    });
    expect((await h.run("{ a }", member)).errors?.[0]?.message).toBe("Members may not do this");
    expect((await h.run("{ b }", member)).errors?.[0]?.message).toBe("fn notError");
  });

  it("an OrRule stops at the first rule that allows; an AndRule at the first that denies", async () => {
    const calls: string[] = [];
    const track = (name: string, ok: boolean) => preExecRule({ cache: false })(() => (calls.push(name), ok));
    const h = setup({
      sdl: "type Query { a: String @@Query.a  b: String @@Query.b }",
      attach: { "Query.a": { rules: ["O"] }, "Query.b": { rules: ["A"] } },
      rules: { O: or(track("o1", true), track("o2", true)), A: and(track("a1", false), track("a2", true)) },
      resolvers: { Query: { a: () => "a", b: () => "b" } },
      mode: "authSchema",
    });
    await h.run("{ a b }");
    expect(calls).toEqual(["o1", "a1"]);
  });

  it.each([
    ["unknown rule in compositeRules", { compositeRules: [{ or: ["Nope"] }] }],
    ["unknown rule in deepCompositeRules", { deepCompositeRules: [{ and: [{ id: "Nope" }] }] }],
    ["unknown key", { compositeRules: [{ xor: ["Pass"] }] }],
    ["empty deep list", { deepCompositeRules: [{ or: [] }] }],
    ["not a name", { compositeRules: [{ and: [1] }] }],
  ])("misconfiguration: %s → TypeError at createAuthz", (_n, config) => {
    for (const mode of MODES) {
      expect(() =>
        setup({ sdl: "type Query { a: String @@Query.a }", attach: { "Query.a": config as never }, rules: { Pass }, mode }),
      ).toThrow(TypeError);
    }
  });

  it("and/or/not refuse values that are not rules", () => {
    expect(() => and((() => true) as never)).toThrow(TypeError);
    expect(() => or()).toThrow(TypeError);
    class Foreign { execute() { return true; } }
    expect(() => not(Foreign as never)).toThrow(/PreExecutionRule/);
  });
});

describe("composite rules in wildcards", () => {
  it("a compositeRules entry in a wildcard is one rule: evaluated once per request, not once per field", async () => {
    let calls = 0;
    const counted = preExecRule()(() => (calls++, true));
    const schema = buildSchema("type Query { a: String  b: String  c: String }");
    const authz = createAuthz({
      schema,
      rules: { Counted: counted, Never: preExecRule()(() => false) },
      authSchema: { "*": { "*": { __authz: { compositeRules: [{ or: ["Never", "Counted"] }] } } } },
    });
    const result = await authz.execute({ schema, document: parse("{ a b c }"), rootValue: { a: "a", b: "b", c: "c" }, contextValue: {} });
    expect(result).toEqual({ data: { a: "a", b: "b", c: "c" } });
    expect(calls).toBe(1);
  });
});
