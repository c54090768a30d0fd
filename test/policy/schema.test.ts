import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { POLICY_OPERATORS, validatePolicies } from "gatehouse/policy";
import { splitResource } from "../../src/policy/glob.js";
import { pathProblem } from "../../src/policy/context-path.js";

// No JSON Schema validator is a dependency; these checks keep the schema and
// the hand validator in step on the parts editors rely on.
function setup() {
  const schema = JSON.parse(readFileSync(new URL("../../schema/policy.schema.json", import.meta.url), "utf8"));
  const defs = schema.$defs;
  const regex = (def: { pattern: string }) => new RegExp(def.pattern, "u");
  return { schema, defs, regex };
}

describe("schema/policy.schema.json", () => {
  it("is draft 2020-12 and accepts both file shapes", () => {
    const { schema } = setup();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.oneOf).toHaveLength(2);
  });

  it("lists the same operators and keys as the validator", () => {
    const { defs } = setup();
    expect(defs.condition.properties.operator.enum).toEqual([...POLICY_OPERATORS]);
    expect(Object.keys(defs.policy.properties).sort()).toEqual(["actions", "conditions", "denyType", "description", "effect", "id", "resources", "roles"]);
    expect(Object.keys(defs.condition.properties).sort()).toEqual(["expected", "expectedOnContext", "field", "operator"]);
    expect(defs.policy.additionalProperties).toBe(false);
    expect(defs.condition.additionalProperties).toBe(false);
  });

  it("has a resource pattern that agrees with the validator", () => {
    const { defs, regex } = setup();
    const samples = ["Query::posts", "*::*", "A:B::c", "Post::title*", "Query", "::x", "x::", "a::b::c", "a:::b", "a::::b", "::", "*", " :: "];
    for (const s of samples) expect([s, regex(defs.resource).test(s)]).toEqual([s, splitResource(s) !== null]);
  });

  it("has a context path pattern that agrees with the validator", () => {
    const { defs, regex } = setup();
    const samples = [
      "user.id", "args.input.ownerId", "user.roles.0", "root", "root.id", "identity.type", "request.ip",
      "", "a..b", ".a", "a.", "__proto__", "user.__proto__.x", "a.constructor", "prototype.b", "user.protoType",
      "usr.id", "users.id", "Root.id", "rootx.id", "context.user.id", "user..id",
    ];
    const valid = (field: string) =>
      validatePolicies([{ id: "p", effect: "allow", actions: ["q"], resources: ["A::b"], roles: ["*"], conditions: [{ field, operator: "exists" }] }]).length === 0;
    for (const s of samples) expect([s, regex(defs.contextPath).test(s)]).toEqual([s, valid(s)]);
    expect(valid("user.__proto__")).toBe(pathProblem("user.__proto__") === null);
  });

  it("accepts '*' alone as a resource, like the validator", () => {
    const { defs, regex } = setup();
    const items = defs.policy.properties.resources.items.anyOf as Array<{ const?: string; $ref?: string }>;
    const accepts = (s: string) => items.some((i) => (i.const !== undefined ? i.const === s : regex(defs.resource).test(s)));
    for (const s of ["*", "**", "*::*", "User::*", "User"]) {
      const valid = validatePolicies([{ id: "p", effect: "allow", actions: ["q"], resources: [s], roles: ["*"] }]).length === 0;
      expect([s, accepts(s)]).toEqual([s, valid]);
    }
  });

  it("has an effect pattern that agrees with the validator", () => {
    const { defs, regex } = setup();
    for (const effect of ["allow", "Allow", "DENY", "deny", "permit", "allowed", ""]) {
      const valid = validatePolicies([{ id: "p", effect, actions: ["q"], resources: ["A::b"], roles: ["*"] }]).length === 0;
      expect([effect, regex(defs.policy.properties.effect).test(effect)]).toEqual([effect, valid]);
    }
  });
});
