import { buildSchema, parse, type ExecutionResult, type GraphQLResolveInfo } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, postExecRule } from "gatehouse/graphql";
import { ALICE, attachResolvers, securityFor } from "./fixtures.js";

// A server may give clients executable directives that change a field's value (here `@upper`).
// A post rule must judge the field's real value, never one the client reshaped.
describe("a client field read by a post rule, under a directive of the client's", () => {
  it("is not what the rule judges", async () => {
    const schema = buildSchema("directive @upper on FIELD type Query { notes: [Note!]! } type Note { state: String! body: String }");
    const upper = (value: string, info: GraphQLResolveInfo) => (info.fieldNodes.some((n) => n.directives?.some((d) => d.name.value === "upper")) ? value.toUpperCase() : value);
    attachResolvers(schema, {
      Query: { notes: () => [{ state: "banned", body: "banned-body" }, { state: "ok", body: "ok-body" }] },
      Note: { state: (n: { state: string }, _a: unknown, _c: unknown, info: GraphQLResolveInfo) => upper(n.state, info) },
    });
    const seen: unknown[] = [];
    const NotBanned = postExecRule({ selectionSet: "{ state }" })((_c, _a, _v, parent) => (seen.push(parent.state), parent.state !== "banned"));
    const authz = createAuthz({ schema, rules: { Anyone: allow, NotBanned }, authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } }, Note: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["NotBanned"] } } } } });
    const result = (await authz.execute({ schema, document: parse("{ notes { state @upper body } }"), contextValue: { security: securityFor(ALICE) } })) as ExecutionResult;
    expect(result.data).toEqual({ notes: [{ state: "BANNED", body: null }, { state: "OK", body: "ok-body" }] });
    expect(seen).toEqual(["banned", "ok"]);
  });
});
