// A shield rule on a subscription's root field is judged for every event,
// with the event payload as its parent.
import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { createAuthz } from "gatehouse/graphql";
import { allow, fromShield, rule } from "gatehouse/graphql/shield";

describe("fromShield on subscriptions", () => {
  it("each event is judged on its payload; denied events carry no data", async () => {
    const schema = buildSchema("type Post { id: ID!  team: String! } type Query { x: String } type Subscription { postAdded: Post }");
    const field = schema.getSubscriptionType()!.getFields().postAdded!;
    field.subscribe = async function* () {
      yield { id: "p1", team: "red" };
      yield { id: "p2", team: "blue" };
    };
    field.resolve = (payload: unknown) => payload;
    const sameTeam = rule({ cache: "no_cache" })((payload: { team: string }, _a, ctx: { team: string }) => payload.team === ctx.team);
    const { rules, authSchema } = fromShield({ Subscription: { postAdded: sameTeam }, Post: allow, Query: allow });
    const authz = createAuthz({ schema, rules, authSchema });
    const stream = await authz.subscribe({
      schema,
      document: parse("subscription { postAdded { id } }"),
      contextValue: { team: "red", security: createSecurityContext({ identity: { id: "u1" }, permissions: [] }) },
    });
    const events: ExecutionResult[] = [];
    for await (const event of stream as AsyncGenerator<ExecutionResult>) events.push(event);
    expect(events[0]).toEqual({ data: { postAdded: { id: "p1" } } });
    expect(events[1]?.data).toEqual({ postAdded: null });
    expect(events[1]?.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(JSON.stringify(events[1])).not.toContain("p2");
  });
});
