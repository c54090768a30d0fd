import { describe, expect, it } from "vitest";
import { postExecRule, type Rule, type RuleInfo } from "gatehouse/graphql";
import { BOB_ADMIN, harness, standardOptions } from "./fixtures.js";

const base = standardOptions();

// A post rule that can see its `info` argument gets each row's own path (with list indices),
// however the function declares the parameter; only a rule that cannot see it shares one.
describe("a post rule that can see info", () => {
  const cases: Array<[string, (paths: unknown[]) => Rule]> = [
    ["rest parameter after the parent", (paths) => postExecRule()((_c, _a, _v, _p, ...rest: unknown[]) => (paths.push((rest[0] as RuleInfo).path), true))],
    ["default before info", (paths) => postExecRule()((_c: unknown, _a: unknown, _v: unknown, _p: unknown = {}, info?: RuleInfo) => (paths.push(info!.path), true))],
    [
      "arguments",
      (paths) =>
        postExecRule()(function (this: unknown, _c: unknown, _a: unknown, _v: unknown, _p: unknown) {
          // eslint-disable-next-line prefer-rest-params -- the case under test
          paths.push((arguments[4] as RuleInfo).path);
          return true;
        } as never),
    ],
  ];
  it.each(cases)("%s: sees each row's path", async (_name, make) => {
    const paths: unknown[] = [];
    const h = harness({ ...base, rules: { ...base.rules, Seen: make(paths) }, authSchema: { ...base.authSchema, Post: { "*": { __authz: { rules: ["Anyone"] } }, title: { __authz: { rules: ["Seen"] } } } } });
    await h.run("{ posts { title } }", BOB_ADMIN);
    expect(paths).toEqual([["posts", 0, "title"], ["posts", 1, "title"], ["posts", 2, "title"]]);
  });
});
