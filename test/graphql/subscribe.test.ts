import { parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { postExecRule } from "gatehouse/graphql";
import { ALICE, harness, securityFor, standardOptions } from "./fixtures.js";

async function collect(stream: AsyncGenerator<ExecutionResult, void, void> | ExecutionResult): Promise<ExecutionResult[]> {
  if (!(Symbol.asyncIterator in stream)) return [stream];
  const out: ExecutionResult[] = [];
  for await (const r of stream) out.push(r);
  return out;
}

describe("subscribe", () => {
  it("checks the root field before subscribing", async () => {
    const h = harness(standardOptions());
    const result = await h.authz.subscribe({ schema: h.schema, document: parse("subscription { postAdded { id } }"), contextValue: { security: securityFor(null) } });
    expect(result).toMatchObject({ errors: [{ path: ["postAdded"], extensions: { code: "UNAUTHENTICATED" } }] });
  });

  it("delivers allowed events", async () => {
    const h = harness(standardOptions());
    const events = await collect(await h.authz.subscribe({ schema: h.schema, document: parse("subscription { postAdded { id } }"), contextValue: { security: securityFor(ALICE) } }));
    expect(events.map((e) => e.data)).toEqual([{ postAdded: { id: "p1" } }, { postAdded: { id: "p2" } }, { postAdded: { id: "p3" } }]);
  });

  it("checks each event's payload like a query", async () => {
    const base = standardOptions();
    const h = harness({
      ...base,
      rules: { ...base.rules, Public: postExecRule({ selectionSet: "{ status }" })((_c, _a, _v, parent) => parent.status === "public") },
      authSchema: { ...base.authSchema, Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["Public"] } } } },
    });
    const events = await collect(await h.authz.subscribe({ schema: h.schema, document: parse("subscription { postAdded { id body author { secret } } }"), contextValue: { security: securityFor(ALICE) } }));
    expect(events.map((e) => e.data)).toEqual([
      { postAdded: { id: "p1", body: "b1", author: { secret: null } } },
      { postAdded: { id: "p2", body: null, author: { secret: null } } },
      { postAdded: { id: "p3", body: "b3", author: { secret: null } } },
    ]);
    expect(events[1]!.errors?.map((e) => e.path)).toEqual([["postAdded", "author", "secret"], ["postAdded", "body"]]);
    expect(JSON.stringify(events)).not.toContain("__gh");
  });
});
