import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { createAuthz } from "gatehouse/graphql";
import { authSchema, rules, type Ctx } from "./rules.js";
import { buildExampleSchema } from "./schema.js";

const ADA: Ctx = { agent: { id: "a1", tier: 1 } };
const GRACE: Ctx = { agent: { id: "a2", tier: 2 } };
const C1: Ctx = { customer: { id: "c1" } };

function setup() {
  const schema = buildExampleSchema();
  // The only wiring change: createAuthz({ schema, rules, authSchema }) instead of wrapExecuteFn(execute, { rules, authSchema }).
  const authz = createAuthz({ schema, rules, authSchema });
  const run = async (query: string, who: Ctx = {}) => {
    const id = who.agent?.id ?? who.customer?.id;
    const security = createSecurityContext({ identity: id ? { id } : null, permissions: [] });
    return await authz.execute({ schema, document: parse(query), contextValue: { ...who, security } });
  };
  return { run };
}
const messages = (r: { errors?: readonly { message: string; path?: readonly (string | number)[] }[] }) => (r.errors ?? []).map((e) => [e.message, e.path?.join(".")]);

describe("a GraphQL AuthZ rule file ported to gatehouse", () => {
  it("the rules file differs from the GraphQL AuthZ original only in its import", () => {
    const strip = (s: string) => s.split("\n").filter((l) => !l.startsWith("import ") && !l.startsWith("//")).join("\n");
    const ported = readFileSync(new URL("./rules.ts", import.meta.url), "utf8");
    const original = readFileSync(new URL("./original/rules.ts", import.meta.url), "utf8");
    expect(strip(ported)).toBe(strip(original));
    expect(ported).toContain('from "gatehouse/graphql"');
  });

  it("a class pre rule that throws this.error", async () => {
    const { run } = setup();
    expect(messages(await run("{ tickets { id } }"))).toEqual([["Sign in first", "tickets"]]);
    expect((await run("{ tickets { id } }", C1)).errors).toBeUndefined();
  });

  it("a class post rule with a selectionSet, judged per row", async () => {
    const { run } = setup();
    const result = await run("{ tickets { subject message } }", C1);
    expect(messages(result)).toEqual([["Not your ticket", "tickets.1.message"]]);
    expect(JSON.stringify(result)).not.toContain("4242");
    expect((await run("{ tickets { message } }", ADA)).errors).toBeUndefined();
  });

  it("inline compositeRules on a field", async () => {
    const { run } = setup();
    expect(messages(await run("{ tickets { assignee { phone } } }", C1))).toEqual([
      ["Agents only", "tickets.0.assignee.phone"],
      ["Agents only", "tickets.1.assignee.phone"],
    ]);
    expect((await run("{ tickets { assignee { phone } } }", ADA)).errors).toBeUndefined();
  });

  it("or(...) of a function rule and an async rule, before the mutation runs", async () => {
    const { run } = setup();
    expect(await run('mutation { closeTicket(id: "t1") { status } }', C1)).toEqual({ data: { closeTicket: { status: "closed" } } });
    expect(await run('mutation { closeTicket(id: "t2") { status } }', GRACE)).toEqual({ data: { closeTicket: { status: "closed" } } });
    const denied = await run('mutation { closeTicket(id: "t2") { status } }', C1);
    expect(denied.data).toBeNull();
    expect(denied.errors?.[0]?.path).toEqual(["closeTicket"]);
  });

  it("deepCompositeRules with and / not over a composite", async () => {
    const { run } = setup();
    expect(await run('mutation { escalate(id: "t1") { status } }', ADA)).toEqual({ data: { escalate: { status: "escalated" } } });
    expect((await run('mutation { escalate(id: "t1") { status } }', GRACE)).errors?.[0]?.path).toEqual(["escalate"]);
    expect(messages(await run('mutation { escalate(id: "t1") { status } }', C1))).toEqual([["Agents only", "escalate"]]);
  });
});
