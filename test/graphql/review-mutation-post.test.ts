import { describe, expect, it } from "vitest";
import { postExecRule } from "gatehouse/graphql";
import { ALICE, harness, standardOptions } from "./fixtures.js";

const base = standardOptions();

// Documented behaviour: a post rule on a mutation field withholds the result; it cannot stop the resolver.
describe("a post rule on a mutation field", () => {
  it("runs after the resolver and withholds its result, in both denial modes", async () => {
    const Never = postExecRule()(() => false);
    for (const onDenied of ["null", "reject"] as const) {
      const h = harness({ ...base, onDenied, rules: { ...base.rules, Never }, authSchema: { ...base.authSchema, Mutation: { ...base.authSchema!.Mutation, log: { __authz: { rules: ["Never"] } } } } });
      const result = await h.run('mutation { log(msg: "x") }', ALICE);
      expect(h.calls.get("Mutation.log")).toBe(1);
      expect(result.data).toEqual(onDenied === "null" ? { log: null } : undefined);
      expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["log"], "FORBIDDEN"]]);
    }
  });
});
