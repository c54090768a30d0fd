// Apollo Router's authorization directives: @authenticated,
// @requiresScopes(scopes: [[String!]!]!) and @policy(policies: [[String!]!]!)
// on fields, objects, interfaces, scalars and enums. Outer lists are
// alternatives, inner lists must all hold; a field is denied when the type
// it returns is; a denied field is null with an error, the rest is served.
import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext, type Identity } from "gatehouse";
import { allow, apolloDirectiveTypeDefs, createAuthz, type AuthzOptions } from "gatehouse/graphql";

const sdl = `
  scalar Secret @authenticated
  enum Level @requiresScopes(scopes: [["read:level"]]) { LOW HIGH }
  interface Account @authenticated { id: ID! }
  type Profile implements Account { id: ID!  bio: String }
  type Payroll @requiresScopes(scopes: [["hr"], ["admin", "audit"]]) { salary: Int }
  type Query {
    public: String
    me: String @authenticated
    secret: Secret
    level: Level
    account: Account
    profile: Profile
    payroll: Payroll
    report: String @requiresScopes(scopes: [["read:report", "read:all"]])
    invoices: [String] @policy(policies: [["billing"], ["finance", "manager"]])
    ledger: String @policy(policies: [["finance"]])
    both: String @authenticated @requiresScopes(scopes: [["x"]])
  }
`;

function setup(extra: Partial<AuthzOptions> = {}) {
  const schema = buildSchema(`${apolloDirectiveTypeDefs}\n${sdl}`);
  const q = schema.getQueryType()!.getFields();
  const values: Record<string, unknown> = {
    public: "p", me: "m", secret: "s", level: "HIGH", account: { id: "a1", bio: "b" }, profile: { id: "a1", bio: "b" },
    payroll: { salary: 10 }, report: "r", invoices: ["i1"], ledger: "l", both: "b",
  };
  for (const [k, v] of Object.entries(values)) q[k]!.resolve = () => v;
  (schema.getType("Account") as { resolveType?: unknown }).resolveType = () => "Profile";
  // Apollo serves unmarked fields; gatehouse needs that said with a wildcard.
  const authz = createAuthz({ schema, rules: { Anyone: allow }, authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } } }, ...extra });
  const run = async (query: string, identity: Identity | null = null, context: Record<string, unknown> = {}): Promise<ExecutionResult> =>
    await authz.execute({ schema, document: parse(query), contextValue: { ...context, security: createSecurityContext({ identity, permissions: [] }) } });
  return { run, authz };
}
const denied = (r: ExecutionResult) => (r.errors ?? []).map((e) => e.path?.join("."));
const user = (claims: Record<string, unknown> = {}): Identity => ({ id: "u1", ...claims });

describe("@authenticated", () => {
  it("on a field: anonymous callers get null and an error there; the rest is served", async () => {
    const { run } = setup();
    const r = await run("{ public me }");
    expect(r.data).toEqual({ public: "p", me: null });
    expect(r.errors?.map((e) => [e.path?.join("."), e.extensions?.code])).toEqual([["me", "UNAUTHENTICATED"]]);
    expect(await run("{ public me }", user())).toEqual({ data: { public: "p", me: "m" } });
  });

  it("on a scalar: every field returning it requires authentication", async () => {
    const { run } = setup();
    expect(denied(await run("{ secret }"))).toEqual(["secret"]);
    expect(await run("{ secret }", user())).toEqual({ data: { secret: "s" } });
  });

  it("on an interface: fields returning it, and the implementations' fields", async () => {
    const { run } = setup();
    expect(denied(await run("{ account { id } }"))).toEqual(["account"]);
    expect(denied(await run("{ profile { id bio } }"))).toEqual(["profile.id"]);
    expect(await run("{ account { id ... on Profile { bio } } }", user())).toEqual({ data: { account: { id: "a1", bio: "b" } } });
  });

  it("through aliases and fragments", async () => {
    const { run } = setup();
    expect(denied(await run("{ a: me ...F } fragment F on Query { b: me }"))).toEqual(["a", "b"]);
  });
});

describe("@requiresScopes", () => {
  it("inner list AND: every scope of one list is needed", async () => {
    const { run } = setup();
    expect(denied(await run("{ report }", user({ scope: "read:report" })))).toEqual(["report"]);
    expect(await run("{ report }", user({ scope: "read:report read:all" }))).toEqual({ data: { report: "r" } });
  });

  it("outer list OR: any one list suffices (on an object type, for fields returning it)", async () => {
    const { run } = setup();
    expect(await run("{ payroll { salary } }", user({ scopes: ["hr"] }))).toEqual({ data: { payroll: { salary: 10 } } });
    expect(await run("{ payroll { salary } }", user({ scopes: ["admin", "audit"] }))).toEqual({ data: { payroll: { salary: 10 } } });
    expect(denied(await run("{ payroll { salary } }", user({ scopes: ["admin"] })))).toEqual(["payroll"]);
  });

  it("scopes come from the `scope` string and the `scopes` array together", async () => {
    const { run } = setup();
    expect(await run("{ report }", user({ scope: "read:report", scopes: ["read:all"] }))).toEqual({ data: { report: "r" } });
  });

  it("on an enum: fields returning it need the scopes", async () => {
    const { run } = setup();
    expect(denied(await run("{ level }", user()))).toEqual(["level"]);
    expect(await run("{ level }", user({ scope: "read:level" }))).toEqual({ data: { level: "HIGH" } });
  });

  it("anonymous callers hold no scopes", async () => {
    const { run } = setup();
    expect(denied(await run("{ report payroll { salary } }"))).toEqual(["report", "payroll"]);
  });

  it("several directives on one field must all hold", async () => {
    const { run } = setup();
    expect(denied(await run("{ both }", user()))).toEqual(["both"]);
    expect(await run("{ both }", user({ scope: "x" }))).toEqual({ data: { both: "b" } });
  });

  it("a malformed scopes argument is refused at createAuthz", () => {
    const schema = buildSchema(`${apolloDirectiveTypeDefs} type Query { a: String @requiresScopes(scopes: [[1]]) }`);
    expect(() => createAuthz({ schema, rules: {} })).toThrow(TypeError);
  });
});

describe("@policy", () => {
  function counting(answer: (names: Set<string>) => Map<string, boolean> | Promise<Map<string, boolean>>) {
    const calls: string[][] = [];
    const policyResolver = async (names: Set<string>, ctx: { tenant?: string }) => {
      calls.push([...names].sort().concat(ctx.tenant ? [`tenant:${ctx.tenant}`] : []));
      return await answer(names);
    };
    return { calls, policyResolver };
  }

  it("the resolver is called once per operation with every policy name it touches", async () => {
    const { calls, policyResolver } = counting((names) => new Map([...names].map((n) => [n, true])));
    const { run } = setup({ policyResolver });
    expect(await run("{ invoices ledger l2: ledger ...F } fragment F on Query { invoices }", user(), { tenant: "t1" })).toEqual({
      data: { invoices: ["i1"], ledger: "l", l2: "l" },
    });
    expect(calls).toEqual([["billing", "finance", "manager", "tenant:t1"]]);
    await run("{ ledger }", user());
    expect(calls).toHaveLength(2);
  });

  it("an operation that touches no @policy field does not call the resolver", async () => {
    const { calls, policyResolver } = counting(() => new Map());
    const { run } = setup({ policyResolver });
    await run("{ public me }", user());
    expect(calls).toEqual([]);
  });

  it("outer OR, inner AND over the resolver's answers", async () => {
    const { policyResolver } = counting(() => new Map([["billing", false], ["finance", true], ["manager", true]]));
    const { run } = setup({ policyResolver });
    expect(await run("{ invoices }", user())).toEqual({ data: { invoices: ["i1"] } });
    const { policyResolver: p2 } = counting(() => new Map([["billing", false], ["finance", true], ["manager", false]]));
    expect(denied(await setup({ policyResolver: p2 }).run("{ invoices ledger }", user()))).toEqual(["invoices"]);
  });

  it.each([
    ["a name missing from the answer", () => new Map([["finance", true]])],
    ["a non-boolean answer", () => new Map([["billing", "yes" as never]])],
    ["a throw", () => { throw new Error("policy service down"); }],
    ["a rejection", () => Promise.reject(new Error("down"))],
    ["not a Map", () => ({ billing: true }) as never],
  ])("%s denies", async (_n, answer) => {
    const { policyResolver } = counting(answer as never);
    const r = await setup({ policyResolver }).run("{ invoices }", user());
    expect(denied(r)).toEqual(["invoices"]);
    expect(JSON.stringify(r)).not.toContain("down");
  });

  it("without a policyResolver, @policy fields are denied", async () => {
    expect(denied(await setup().run("{ invoices public }", user()))).toEqual(["invoices"]);
  });

  it("policyResolver must be a function", () => {
    expect(() => setup({ policyResolver: "nope" as never })).toThrow(TypeError);
  });
});
