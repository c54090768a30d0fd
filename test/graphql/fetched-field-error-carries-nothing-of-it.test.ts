// A field fetched only for a post rule (Post.status here, String!) fails and
// nulls the post the client sees: the client gets a generic error at that
// post. Nothing of the failed field's own error may come with it: not its
// extensions (which a resolver may fill with the value), not its message
// (through `originalError`, which servers show in development stack traces,
// or which a gatehouse error's rewriting would turn back into the message).
import { buildSchema, GraphQLError, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { NotAuthorizedError } from "gatehouse";
import { allow, createAuthz, postExecRule } from "gatehouse/graphql";
import { ALICE, attachResolvers, securityFor } from "./fixtures.js";

const SECRET = "EMBARGOED-UNTIL-2027";

function run(thrown: () => Error) {
  const schema = buildSchema("type Query { one: Post } type Post { id: ID! status: String! body: String }");
  attachResolvers(schema, {
    Query: { one: () => ({ id: "1", body: "b" }) },
    Post: {
      status: () => {
        throw thrown();
      },
    },
  });
  const Published = postExecRule({ selectionSet: "{ status }" })((_c, _a, _v, p: { status: string }) => p.status === "published");
  const authz = createAuthz({ schema, rules: { Anyone: allow, Published }, authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } }, Post: { body: { __authz: { rules: ["Published"] } } } } });
  return authz.execute({ schema, document: parse("{ one { body } }"), contextValue: { security: securityFor(ALICE) } }) as Promise<ExecutionResult>;
}

/** Everything of an error a server's pipeline may show: its JSON, and its original error's message and stack. */
function shown(error: GraphQLError): string {
  const original = error.originalError as (Error & { extensions?: unknown }) | undefined;
  return JSON.stringify([error.toJSON(), original?.message, original?.stack, original?.extensions]);
}

describe("the error of a field fetched only for a rule", () => {
  it("does not carry the extensions of the field's own error", async () => {
    const result = await run(() => new GraphQLError("status unavailable", { extensions: { code: "BAD_STATUS", status: SECRET } }));
    expect(result.data).toEqual({ one: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toBe("A field read for an authorization rule could not be resolved.");
    expect(shown(result.errors![0]!)).not.toContain(SECRET);
  });

  it("does not carry the field's error message in its original error (development stack traces show it)", async () => {
    const result = await run(() => new Error(`status is ${SECRET}`));
    expect(result.errors).toHaveLength(1);
    expect(shown(result.errors![0]!)).not.toContain(SECRET);
  });

  it("keeps its generic message when the field threw a gatehouse error", async () => {
    const result = await run(() => new NotAuthorizedError(`status is ${SECRET}`));
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toBe("A field read for an authorization rule could not be resolved.");
    expect(shown(result.errors![0]!)).not.toContain(SECRET);
  });
});
