import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { createAuthz } from "gatehouse/graphql";

// A policy that compares the row with the caller: the walk prepares one row
// check per field and request, from the caller and the context's `request`.
// A context whose `request` throws when read (a buggy getter, a hostile
// object) must deny the rows, as a rule that throws does, and never turn
// into an exception out of execute.
const schema = buildSchema("type Query { users: [User!]! } type User { id: ID! name: String! email: String }");
const rows = [
  { id: "u1", name: "Alice", email: "alice@example.test" },
  { id: "u2", name: "Bob", email: "bob@example.test" },
];
const policies = [
  { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*"], roles: ["*"] },
  { id: "fields", effect: "allow", actions: ["*"], resources: ["User::id", "User::name"], roles: ["*"] },
  { id: "own", effect: "allow", actions: ["*"], resources: ["User::email"], roles: ["*"], conditions: [{ field: "root.id", operator: "equals", expectedOnContext: ["user.id"] }] },
];
const security = createSecurityContext({ identity: { id: "u1", roles: ["user"] }, permissions: [] });

function contextThatThrows(): object {
  return {
    security,
    get request(): never {
      throw new Error("context read failed");
    },
  };
}

describe("a policy's row check when the context cannot be read", () => {
  it("denies every row of the field, request after request, and answers the rest", async () => {
    const authz = createAuthz({ schema, policies, rootValue: undefined } as never);
    const document = parse("{ users { id name email } }");
    for (let i = 0; i < 4; i++) {
      // A well-behaved request in between, so plans and remembered checks exist for the same roles.
      const fine = (await authz.execute({ schema, document, rootValue: { users: rows }, contextValue: { security, request: { headers: {} } } })) as ExecutionResult;
      expect(fine.data).toEqual({ users: [{ id: "u1", name: "Alice", email: "alice@example.test" }, { id: "u2", name: "Bob", email: null }] });
      const result = (await authz.execute({ schema, document, rootValue: { users: rows }, contextValue: contextThatThrows() })) as ExecutionResult;
      expect(result.data).toEqual({ users: [{ id: "u1", name: "Alice", email: null }, { id: "u2", name: "Bob", email: null }] });
      expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
        [["users", 0, "email"], "FORBIDDEN"],
        [["users", 1, "email"], "FORBIDDEN"],
      ]);
      expect(JSON.stringify(result)).not.toContain("context read failed");
    }
  });
});

describe("a policy decided before execution when the context cannot be read", () => {
  it("denies the field instead of throwing out of execute", async () => {
    const byRequest = [
      { id: "q", effect: "allow", actions: ["query"], resources: ["Query::*"], roles: ["*"], conditions: [{ field: "request.method", operator: "equals", expected: ["POST"] }] },
      { id: "fields", effect: "allow", actions: ["*"], resources: ["User::*"], roles: ["*"] },
    ];
    const authz = createAuthz({ schema, policies: byRequest } as never);
    const document = parse("{ users { id } }");
    const fine = (await authz.execute({ schema, document, rootValue: { users: rows }, contextValue: { security, request: { method: "POST" } } })) as ExecutionResult;
    expect(fine.data).toEqual({ users: [{ id: "u1" }, { id: "u2" }] });
    const result = (await authz.execute({ schema, document, rootValue: { users: rows }, contextValue: contextThatThrows() })) as ExecutionResult;
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["users"], "FORBIDDEN"]]);
    expect(JSON.stringify(result)).not.toContain("context read failed");
  });
});
