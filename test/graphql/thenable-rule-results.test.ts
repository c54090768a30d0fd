import { describe, expect, it } from "vitest";
import { allow, and, postExecRule, preExecRule, type Rule } from "gatehouse/graphql";
import { BOB_ADMIN, harness, standardOptions } from "./fixtures.js";

const base = standardOptions();

/** A promise-like answer from another library: its `then` settles later and returns nothing. */
const later = (value: unknown) => ({
  then(resolve: (v: unknown) => void) {
    setTimeout(() => resolve(value), 1);
  },
});

function setup(Guard: Rule) {
  return harness({
    ...base,
    rules: { ...base.rules, Guard },
    authSchema: { ...base.authSchema, Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["Guard"] } } } },
  });
}

// Rules may answer with any promise-like value (query builders of database libraries are
// thenables): the answer is awaited like a promise, never skipped.
describe("a rule answering with a thenable", () => {
  it.each<[string, Rule]>([
    ["post rule", postExecRule({ selectionSet: "{ status }" })(() => later(false) as never)],
    ["post rule inside a composite", and(allow, postExecRule()(() => later(false) as never))],
    ["batched post rule", postExecRule({ batch: true })((_c, _a, values: unknown[]) => later(values.map(() => false)) as never)],
    ["pre rule", preExecRule()(() => later(false) as never)],
  ])("%s: a denial withholds the value", async (_name, Guard) => {
    const h = setup(Guard);
    const result = await h.run("{ posts { body } }", BOB_ADMIN);
    expect(result.data).toEqual({ posts: [{ body: null }, { body: null }, { body: null }] });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
  });

  it.each<[string, Rule]>([
    ["post rule", postExecRule({ selectionSet: "{ status }" })(() => later(true) as never)],
    ["batched post rule", postExecRule({ batch: true })((_c, _a, values: unknown[]) => later(values.map(() => true)) as never)],
    ["pre rule", preExecRule()(() => later(true) as never)],
  ])("%s: an allow shows the value", async (_name, Guard) => {
    const h = setup(Guard);
    await h.expectAllowed("{ posts { body } }", BOB_ADMIN);
  });
});
