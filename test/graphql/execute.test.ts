import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { NotAuthorizedError, type SecurityContext } from "gatehouse";
import { allow, createAuthz, preExecRule, toGraphQLError } from "gatehouse/graphql";
import type { AuditEvent } from "../../src/audit/types.js";
import { ALICE, BOB_ADMIN, harness, makeSchema, securityFor, standardOptions } from "./fixtures.js";

describe("mutations", () => {
  it("a denied mutation field never calls its resolver; fields before and after it run in order", async () => {
    const order: string[] = [];
    const h = harness({
      ...standardOptions(),
      rules: { ...standardOptions().rules, NotNo: preExecRule()((_c, args: { msg: string }) => args.msg !== "no") },
      authSchema: { ...standardOptions().authSchema, Mutation: { ...standardOptions().authSchema!.Mutation, log: { __authz: { rules: ["NotNo"] } } } },
    });
    h.schema.getMutationType()!.getFields().log!.resolve = (_: unknown, a: { msg: string }) => (order.push(a.msg), true);
    const result = await h.run('mutation { a: log(msg: "1") b: log(msg: "no") c: log(msg: "3") }', ALICE);
    expect(order).toEqual(["1", "3"]);
    expect(result.data).toEqual({ a: true, b: null, c: true });
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["b"], "FORBIDDEN"]]);
  });

  it("a denied NON-NULL mutation field nulls the data; fields before it ran, graphql-js stops after it", async () => {
    const h = harness(standardOptions());
    const result = await h.run('mutation { a: log(msg: "1") del: deletePost(id: "p1") b: log(msg: "2") }', ALICE);
    expect(h.calls.get("Mutation.deletePost") ?? 0).toBe(0);
    expect(h.calls.get("Mutation.log")).toBe(1);
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["del"], "FORBIDDEN"]]);
  });

  it("async pre rules are awaited before execution starts", async () => {
    const seen: string[] = [];
    const h = harness({
      ...standardOptions(),
      rules: { ...standardOptions().rules, Slow: preExecRule()(async (_ctx, args: { title?: string }) => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push("rule");
        return args.title === "ok";
      }) },
      authSchema: { ...standardOptions().authSchema, Mutation: { createPost: { __authz: { rules: ["Slow"] } } } },
    });
    await h.expectDenied('mutation { createPost(title: "no") { id } }', "FORBIDDEN", ["createPost"], ALICE);
    expect(h.calls.get("Mutation.createPost") ?? 0).toBe(0);
    const ok = await h.run('mutation { createPost(title: "ok") { id } }', ALICE);
    expect(ok).toEqual({ data: { createPost: { id: "p9" } } });
    expect(seen).toEqual(["rule", "rule"]);
  });
});

describe("onDenied: reject", () => {
  it("returns errors without data and runs no resolver", async () => {
    const h = harness({ ...standardOptions(), onDenied: "reject" });
    const result = await h.run("{ posts { id } me { secret } }", ALICE);
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["me", "secret"], "FORBIDDEN"]]);
    expect(h.calls.size).toBe(0);
  });

  it("allowed operations are untouched", async () => {
    const h = harness({ ...standardOptions(), onDenied: "reject" });
    await h.expectAllowed("{ posts { id } }", ALICE);
  });
});

describe("mode: audit", () => {
  it("denies nothing and reports would-deny events without data or arguments", async () => {
    const events: AuditEvent[] = [];
    const h = harness({ ...standardOptions(), mode: "audit", audit: (e) => events.push(e) });
    const result = await h.run('query Q { user(id: "u2") { secret } }', ALICE);
    expect(result).toEqual({ data: { user: { secret: "s-bob" } } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ coordinate: "User.secret", rule: "IsAdmin", decision: "would-deny", identityId: "u1", identityType: "user", action: "query", operationName: "Q", path: "user.secret", code: "FORBIDDEN" });
    expect(JSON.stringify(events)).not.toContain("u2\"");
    expect(JSON.stringify(events)).not.toContain("s-bob");
  });

  it("enforce mode logs deny to a pino-style logger and allows only with auditAllows", async () => {
    const lines: Array<[string, object]> = [];
    const logger = { info: (o: object) => lines.push(["info", o]), warn: (o: object) => lines.push(["warn", o]) };
    const h = harness({ ...standardOptions(), audit: logger, auditAllows: true });
    await h.run("{ me { name secret } }", ALICE);
    expect(lines.filter(([l]) => l === "warn").map(([, o]) => (o as AuditEvent).coordinate)).toEqual(["User.secret"]);
    expect(lines.filter(([l]) => l === "info").map(([, o]) => (o as AuditEvent).coordinate)).toEqual(["Query.me", "User.name"]);
  });

  it("a throwing audit sink never breaks the request", async () => {
    const h = harness({ ...standardOptions(), audit: () => { throw new Error("disk full"); } });
    await h.expectDenied("{ me { secret } }", "FORBIDDEN", ["me", "secret"], ALICE);
  });
});

describe("rule outcomes", () => {
  const setup = (rule: ReturnType<ReturnType<typeof preExecRule>>, events: AuditEvent[] = []) =>
    harness({ ...standardOptions(), rules: { ...standardOptions().rules, R: rule }, authSchema: { ...standardOptions().authSchema, Query: { "*": { __authz: { rules: ["R"] } } } }, audit: (e) => events.push(e) });

  it("a rule that throws denies with a generic message and an audit reason", async () => {
    const events: AuditEvent[] = [];
    const h = setup(preExecRule()(() => { throw new Error("db password is hunter2"); }), events);
    const result = await h.run("{ posts { id } }", ALICE);
    expect(JSON.stringify(result)).not.toContain("hunter2");
    expect(result.errors?.[0]).toMatchObject({ message: "Not authorized.", extensions: { code: "FORBIDDEN" } });
    expect(events[0]).toMatchObject({ reason: "rule threw", decision: "deny", rule: "R" });
    expect(JSON.stringify(events)).not.toContain("hunter2");
  });

  it("a rejected promise denies", async () => {
    const h = setup(preExecRule()(async () => Promise.reject(new Error("boom"))));
    await h.expectDenied("{ posts { id } }", "FORBIDDEN", ["posts"], ALICE);
  });

  it("an Error result is sent, with its code when it is a client code", async () => {
    const h = setup(preExecRule()(() => Object.assign(new Error("Sign in first."), { extensions: { code: "UNAUTHENTICATED" } })));
    const result = await h.run("{ posts { id } }", ALICE);
    expect(result.errors?.[0]).toMatchObject({ message: "Sign in first.", extensions: { code: "UNAUTHENTICATED" } });
    const g = setup(preExecRule()(() => new NotAuthorizedError("Editors only.")));
    expect((await g.run("{ posts { id } }", ALICE)).errors?.[0]).toMatchObject({ message: "Editors only.", extensions: { code: "FORBIDDEN" } });
    const other = setup(preExecRule()(() => Object.assign(new Error("nope"), { extensions: { code: "INTERNAL" } })));
    expect((await other.run("{ posts { id } }", ALICE)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("a non-boolean result denies (fail closed)", async () => {
    const h = setup(preExecRule()(() => "yes" as never));
    await h.expectDenied("{ posts { id } }", "FORBIDDEN", ["posts"], ALICE);
  });

  it("the error option replaces the default message", async () => {
    const h = setup(preExecRule({ error: "Members only." })(() => false));
    expect((await h.run("{ posts { id } }", null)).errors?.[0]).toMatchObject({ message: "Members only.", extensions: { code: "UNAUTHENTICATED" } });
  });
});

describe("security context", () => {
  it("a missing context.security is anonymous, never allowed", async () => {
    const h = harness(standardOptions());
    const result = await h.authz.execute({ schema: h.schema, document: parse("{ users { id } }"), contextValue: {} });
    expect(result).toMatchObject({ errors: [{ extensions: { code: "UNAUTHENTICATED" } }] });
    const noCtx = await h.authz.execute({ schema: h.schema, document: parse("{ users { id } }") });
    expect(noCtx).toMatchObject({ errors: [{ extensions: { code: "UNAUTHENTICATED" } }] });
  });

  it("withoutAuthorization allows every check", async () => {
    const h = harness(standardOptions());
    const security = securityFor(null);
    const result = await security.withoutAuthorization(() => h.authz.execute({ schema: h.schema, document: parse("{ requiredSecret }"), contextValue: { security } }));
    expect(result).toEqual({ data: { requiredSecret: "top-secret" } });
  });

  it("getSecurity finds the context elsewhere", async () => {
    const { schema } = makeSchema();
    const authz = createAuthz({ schema, ...standardOptions(), getSecurity: (ctx: { auth: SecurityContext }) => ctx.auth });
    const result = await authz.execute({ schema, document: parse("{ users { id } }"), contextValue: { auth: securityFor(ALICE) } });
    expect(result.errors).toBeUndefined();
  });

  it("rejects a different schema object", () => {
    const h = harness(standardOptions());
    expect(() => h.authz.execute({ schema: makeSchema().schema, document: parse("{ posts { id } }") })).toThrow(TypeError);
  });

  it("the same context object executing twice concurrently keeps separate decisions", async () => {
    const h = harness(standardOptions());
    const contextValue = { security: securityFor(ALICE) };
    const [a, b] = await Promise.all([
      h.authz.execute({ schema: h.schema, document: parse("{ me { secret } }"), contextValue }),
      h.authz.execute({ schema: h.schema, document: parse("{ me { name } }"), contextValue }),
    ]);
    expect(a.errors?.[0]?.path).toEqual(["me", "secret"]);
    expect(b).toEqual({ data: { me: { name: "Alice" } } });
  });
});

describe("introspection", () => {
  const q = "{ __schema { queryType { name } } }";
  it("allow (default)", async () => {
    const h = harness(standardOptions());
    await h.expectAllowed(q, null);
  });
  it("authenticated", async () => {
    const h = harness({ ...standardOptions(), introspection: "authenticated" });
    await h.expectDenied(q, "UNAUTHENTICATED", ["__schema"], null);
    await h.expectAllowed(q, ALICE);
  });
  it("deny, with __type nulled in place and other fields kept", async () => {
    const h = harness({ ...standardOptions(), introspection: "deny" });
    const result = await h.expectDenied(q, "FORBIDDEN", ["__schema"], BOB_ADMIN);
    expect(result.data).toBeNull();
    const t = await h.run('{ __type(name: "User") { name } posts { id } }', BOB_ADMIN);
    expect(t.data).toEqual({ __type: null, posts: [{ id: "p1" }, { id: "p2" }, { id: "p3" }] });
    expect(t.errors?.[0]?.path).toEqual(["__type"]);
  });
  it("a named rule", async () => {
    const h = harness({ ...standardOptions(), rules: { ...standardOptions().rules, Dev: preExecRule()((_c, _a, info) => info.security.identity?.roles?.includes("admin") ?? false) }, introspection: "Dev" });
    await h.expectDenied(q, "FORBIDDEN", ["__schema"], ALICE);
    await h.expectAllowed(q, BOB_ADMIN);
  });
});

describe("gatehouse errors thrown by resolvers", () => {
  it("reach the client with code, message and path, without originalError", async () => {
    const { schema } = makeSchema();
    schema.getQueryType()!.getFields().grid!.resolve = () => {
      throw new NotAuthorizedError("Only editors see the grid.");
    };
    const authz = createAuthz({ schema, rules: { A: allow }, authSchema: { "*": { "*": { __authz: { rules: ["A"] } } } } });
    const result = await authz.execute({ schema, document: parse("{ grid }"), contextValue: { security: securityFor(ALICE) } });
    expect(result.errors?.[0]).toMatchObject({ message: "Only editors see the grid.", path: ["grid"], extensions: { code: "FORBIDDEN" } });
    expect(result.errors?.[0]?.originalError).toBeUndefined();
  });

  it("toGraphQLError converts gatehouse errors and wraps others", () => {
    const e = toGraphQLError(new NotAuthorizedError("No."), ["a", 0]);
    expect(e).toMatchObject({ message: "No.", path: ["a", 0], extensions: { code: "FORBIDDEN" } });
    expect(e.originalError).toBeUndefined();
    const other = toGraphQLError(new Error("plain"));
    expect(other.message).toBe("plain");
    expect(other.extensions.code).toBeUndefined();
  });
});
