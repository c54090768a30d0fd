import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule } from "gatehouse/graphql";
import { ALICE, attachResolvers, securityFor } from "./fixtures.js";

// A post rule's selectionSet is read from the field's parent; for a mutation root field that is the Mutation type.
describe("a post rule with a selectionSet on a mutation root field", () => {
  const calls: string[] = [];
  const schema = buildSchema("type Query { ok: Boolean } type Mutation { rename: Boolean  wipe: Boolean }");
  attachResolvers(schema, { Mutation: { rename: () => (calls.push("rename"), true), wipe: () => (calls.push("wipe"), true) } });
  const Feeds = postExecRule({ selectionSet: "{ wipe }" })(() => true);
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, Feeds, Plain: postExecRule()((_c, _a, value) => value === true) },
    authSchema: { Query: { "*": { __authz: { rules: ["Anyone"] } } }, Mutation: { rename: { __authz: { rules: ["Feeds"] } }, wipe: { __authz: { rules: ["Plain"] } } } },
  });
  const run = (query: string) => Promise.resolve().then(() => authz.execute({ schema, document: parse(query), contextValue: { security: securityFor(ALICE) } }) as ExecutionResult);

  it("is refused before anything runs: it would run another mutation to feed the rule", async () => {
    calls.length = 0;
    await expect(run("mutation { rename }")).rejects.toThrow(/Mutation\.rename.*selectionSet/);
    expect(calls).toEqual([]);
  });

  it("a post rule without a selectionSet on a mutation root field still judges its value", async () => {
    calls.length = 0;
    expect(await run("mutation { wipe }")).toEqual({ data: { wipe: true } });
    expect(calls).toEqual(["wipe"]);
  });
});
