import { envelop, useEngine, useSchema } from "@envelop/core";
import { execute, parse, specifiedRules, subscribe, validate } from "graphql";
import { createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { useGatehouse } from "gatehouse/envelop";
import { setup } from "./fixtures.js";

// A plugin placed after useGatehouse that sets its own executor (useEngine, a JIT plugin) would run
// the operation with no rule at all: such an operation is refused instead.
describe("useGatehouse followed by a plugin that replaces the executor", () => {
  it("Yoga: the operation is refused, never answered unchecked", async () => {
    const s = setup();
    const swap = { onExecute({ setExecuteFn }: { setExecuteFn: (fn: typeof execute) => void }) { setExecuteFn(execute); } };
    const yoga = createYoga({ schema: s.schema, plugins: [useGatehouse({ security: s.security, authz: s.authz }), swap], logging: false });
    const response = await yoga.fetch("http://localhost/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ hello secret adminNote }" }) });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(JSON.stringify(body)).not.toMatch(/TOP-SECRET|ADMIN-ONLY/);
  });

  it("plain Envelop: useEngine after useGatehouse refuses execute and subscribe; before it, rules apply", async () => {
    const s = setup();
    const engine = useEngine({ parse, validate, specifiedRules, execute, subscribe });
    for (const plugins of [[useSchema(s.schema), useGatehouse({ security: s.security, authz: s.authz }), engine], [engine, useSchema(s.schema), useGatehouse({ security: s.security, authz: s.authz })]]) {
      const getEnveloped = envelop({ plugins });
      const run = async (query: string, kind: "execute" | "subscribe") => {
        const { execute: run, subscribe: sub, contextFactory, schema } = getEnveloped({ request: new Request("http://localhost/graphql") });
        const contextValue = await contextFactory();
        const args = { schema, document: parse(query), contextValue };
        return JSON.stringify(await (kind === "execute" ? run(args) : sub(args)));
      };
      const swapped = plugins[2] === engine;
      const result = await run("{ hello secret }", "execute");
      expect(result).not.toContain("TOP-SECRET");
      expect(result).toContain(swapped ? "did not run through gatehouse" : '"hello":"world"');
      if (swapped) expect(await run("{ hello }", "subscribe")).toContain("did not run through gatehouse");
    }
  });
});
