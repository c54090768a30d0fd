import { describe, expect, it } from "vitest";
import { and, isAuthenticated, postExecRule, type Rule } from "gatehouse/graphql";
import { ALICE, harness, standardOptions } from "./fixtures.js";

const base = standardOptions();
const postOnly = (rules: Record<string, Rule>, post: Record<string, unknown>) =>
  harness({ ...base, rules: { ...base.rules, ...rules }, authSchema: { ...base.authSchema, Post: post } as never });

describe("a post rule on several fields of one object judges each field", () => {
  it("with that field's own value", async () => {
    const NotDraftText = postExecRule()((_c, _a, value) => value !== "b2");
    const h = postOnly({ NotDraftText }, { "*": { __authz: { rules: ["Anyone"] } }, title: { __authz: { rules: ["NotDraftText"] } }, body: { __authz: { rules: ["NotDraftText"] } } });
    const result = await h.run('{ post(id: "p2") { title body } }', ALICE);
    expect(result.data).toEqual({ post: { title: "Draft", body: null } });
    expect(result.errors?.map((e) => e.path)).toEqual([["post", "body"]]);
  });

  it("with that field's own info, also inside a composite on a wildcard", async () => {
    const NotBody = postExecRule({ selectionSet: "{ status }" })((_c, _a, _v, _p, info) => info.fieldName !== "body");
    for (const rule of [NotBody, and(isAuthenticated, NotBody)]) {
      const h = postOnly({ Rule: rule }, { "*": { __authz: { rules: ["Rule"] } } });
      const result = await h.run('{ post(id: "p2") { title body } }', ALICE);
      expect(result.data).toEqual({ post: { title: "Draft", body: null } });
      expect(JSON.stringify(result)).not.toContain("b2");
    }
  });
});
