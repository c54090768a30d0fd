import { describe, expect, it } from "vitest";
import { postExecRule } from "gatehouse/graphql";
import { ALICE, harness, standardOptions } from "./fixtures.js";

const base = standardOptions();

// `$s: Boolean = true` may be used in `@include(if:)`, and a client may still send `{ s: null }`:
// graphql-js answers with an error where it collects the field; authz.execute must answer the same, not throw.
describe("an @include / @skip whose variable is null", () => {
  it("answers like graphql-js, with the rules of the field still applied", async () => {
    const NotDraft = postExecRule({ selectionSet: "{ status }" })((_c, _a, _v, p) => p.status !== "draft");
    const h = harness({ ...base, rules: { ...base.rules, NotDraft }, authSchema: { ...base.authSchema, Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["NotDraft"] } } } } });
    for (const query of [
      "query($s: Boolean = true) { posts { body @include(if: $s) } }",
      "query($s: Boolean = true) { posts { ... @skip(if: $s) { body } } }",
      "query($s: Boolean = true) { posts @include(if: $s) { body } }",
      'query($s: Boolean = true) { me { name } post(id: "p2") { body @include(if: $s) } }',
    ]) {
      const result = await h.run(query, ALICE, { s: null });
      expect(JSON.parse(JSON.stringify(result)), query).toEqual(JSON.parse(JSON.stringify(await h.bare(query, ALICE, { s: null }))));
    }
  });
});
