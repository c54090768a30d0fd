// The row checks GraphQL runs for policies that read the object (direct
// evaluation of the first rows, checks planned per request, checks
// remembered across requests, the "every row" shortcut) decide every row as
// engine.evaluate does with the row as `root`, for random policy sets,
// callers, arguments and rows.
import fc from "fast-check";
import { buildSchema, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { createPolicyEngine, type Policy } from "gatehouse/policy";
import { objectPolicyRule } from "../../src/graphql/object-policy.js";
import type { JudgeScope, RuleInfo } from "../../src/graphql/types.js";
import { documentedNarrowing, policies, roles, row, value } from "../policy/plan-arbitraries.js";

const schema = buildSchema(`
  type Query { posts: [Post] }
  type Author { id: ID }
  type Post { id: ID n: Float tags: [String] published: Boolean author: Author body: String title: String }
`);
const Post = schema.getType("Post") as GraphQLObjectType;

/** An identity as a token cache hands it out (frozen, roles frozen) or as built per request. */
const identity = fc
  .record({ id: value, level: value, type: value, roles, frozen: fc.boolean() })
  .map(({ frozen, ...rest }) => (frozen ? Object.freeze({ ...rest, roles: Object.freeze([...rest.roles]) }) : rest));

const requestCase = fc.record({
  action: fc.constantFrom("query", "mutation"),
  identity: fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: identity }),
  args: fc.record({ id: value, limit: value }, { requiredKeys: [] }),
  ip: value,
});

type Case = fc.Arbitrary<typeof requestCase extends fc.Arbitrary<infer T> ? T : never>;
const FILLER = Object.freeze({});

describe("GraphQL row checks of policies that read the object agree with engine.evaluate", () => {
  it("on the first rows, once planned, once remembered, and for the every-row shortcut", () => {
    let planned = 0;
    fc.assert(
      fc.property(policies, fc.array(requestCase as Case, { minLength: 1, maxLength: 3 }), fc.array(row, { minLength: 1, maxLength: 8 }), (list: Policy[], requests, rows) => {
        const engine = createPolicyEngine(list);
        const rule = objectPolicyRule(engine, Post, "body");
        if (rule === null) return;
        // Two rounds: the second request with a key finds the check the first remembered.
        for (const round of [0, 1]) {
          for (const r of requests) {
            const id = r.identity as { roles?: readonly string[] } | null;
            const info = { security: { identity: id }, operation: { operation: r.action } } as unknown as RuleInfo;
            const context = { request: { ip: r.ip } };
            const scope: JudgeScope = { memo: new Map(), explain: round === 1 };
            const asked = { resource: "Post::body", action: r.action, roles: id?.roles ?? [], context: { user: id, identity: id, args: r.args, request: context.request } };
            const evaluate = (parent: unknown) => engine.evaluate({ ...asked, context: { ...asked.context, root: parent } }).allowed;
            const everyRow = rule.allowsEveryRow!(context, r.args, info, scope);
            const judge = rule.prepare!(context, r.args, info, scope);
            // The first rows of a request are evaluated directly; the rest go through the plan.
            for (const parent of [FILLER, FILLER, FILLER, FILLER, ...rows]) {
              const allowed = evaluate(parent);
              const ok = judge(parent, info).ok;
              if (ok && !allowed) throw new Error(`SECURITY FAILURE: row check allows a row evaluate denies: ${JSON.stringify({ list, r, parent })}`);
              if (!ok && allowed && !documentedNarrowing(list, asked, parent)) {
                throw new Error(`row check refuses a row evaluate allows: ${JSON.stringify({ list, r, parent })}`);
              }
              if (everyRow) expect(allowed, "allowsEveryRow, yet evaluate denies a row").toBe(true);
            }
            planned++;
          }
        }
      }),
      { numRuns: 600 },
    );
    expect(planned).toBeGreaterThan(200);
  });
});
