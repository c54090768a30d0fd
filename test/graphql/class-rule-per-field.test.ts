import { describe, expect, it } from "vitest";
import { PreExecutionRule, type Rule, type RuleInfo } from "gatehouse/graphql";
import { ALICE, harness, standardOptions } from "./fixtures.js";

const base = standardOptions();

function setup(rule: PreExecutionRule) {
  return harness({ ...base, rules: { ...base.rules, R: rule as unknown as Rule }, authSchema: { ...base.authSchema, User: { "*": { __authz: { rules: ["R"] } } } } });
}

// A GraphQL AuthZ class rule whose `execute` takes `info` may decide by the field, like a
// preExecRule function that takes it: its verdict for one field never stands for another.
describe("a pre-execution class rule", () => {
  it("whose execute takes info is decided per field", async () => {
    const seen: string[] = [];
    class NoEmail extends PreExecutionRule {
      execute(_c: unknown, _a: unknown, info: RuleInfo) {
        seen.push(info.coordinate);
        return info.fieldName !== "email";
      }
    }
    const h = setup(new NoEmail());
    const result = await h.run("{ me { id email } }", ALICE);
    expect(result.data).toEqual({ me: { id: "u1", email: null } });
    expect(result.errors?.map((e) => e.path)).toEqual([["me", "email"]]);
    expect(seen.sort()).toEqual(["User.email", "User.id"]);
  });

  it("whose execute does not take info still shares its verdict between fields", async () => {
    let calls = 0;
    class Anyone extends PreExecutionRule {
      execute() {
        calls++;
        return true;
      }
    }
    const h = setup(new Anyone());
    await h.expectAllowed("{ me { id name } }", ALICE);
    expect(calls).toBe(1);
  });
});
