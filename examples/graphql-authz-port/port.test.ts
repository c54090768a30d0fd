import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createSecurityContext } from "gatehouse";
import { createAuthz } from "gatehouse/graphql";
import { authSchema, rules, type Ctx } from "./rules.js";
import { buildExampleSchema } from "./schema.js";

function setup() {
  const schema = buildExampleSchema();
  // The only wiring change: createAuthz({ schema, rules, authSchema }) instead of wrapExecuteFn(execute, { rules, authSchema }).
  const authz = createAuthz({ schema, rules, authSchema });
  const run = async (query: string, user?: Ctx["user"]) =>
    await authz.execute({
      schema,
      document: parse(query),
      contextValue: { user, security: createSecurityContext({ identity: user ? { id: user.id, roles: [user.role] } : null, permissions: [] }) },
    });
  return { run };
}

describe("GraphQL AuthZ example ported to gatehouse", () => {
  it("the rules file differs from the GraphQL AuthZ original only in its import", () => {
    const strip = (s: string) => s.split("\n").filter((l) => !l.startsWith("import ") && !l.startsWith("//")).join("\n");
    const ported = readFileSync(new URL("./rules.ts", import.meta.url), "utf8");
    const original = readFileSync(new URL("./original/rules.ts", import.meta.url), "utf8");
    expect(strip(ported)).toBe(strip(original));
    expect(ported).toContain('from "gatehouse/graphql"');
  });

  it("pre-execution rules", async () => {
    const { run } = setup();
    expect((await run("{ users { name } }")).errors?.[0]).toMatchObject({ message: "User is not authenticated", path: ["users"] });
    expect((await run("{ users { name } }", { id: "u1", role: "Customer" })).errors).toBeUndefined();
    const email = await run("{ users { email } }", { id: "u1", role: "Customer" });
    expect(email.errors?.[0]).toMatchObject({ message: "User is not admin", path: ["users", 0, "email"] });
    expect((await run("{ users { email } }", { id: "u1", role: "Admin" })).errors).toBeUndefined();
  });

  it("post-execution rule with selectionSet, per row", async () => {
    const { run } = setup();
    const result = await run("{ posts { title body } }", { id: "u1", role: "Customer" });
    expect(result.errors?.map((e) => [e.message, e.path])).toEqual([["Access denied", ["posts", 1, "body"]]]);
    expect(JSON.stringify(result)).not.toContain("secret draft");
    const own = await run("{ posts { body } }", { id: "u2", role: "Customer" });
    expect(own.errors).toBeUndefined();
  });

  it("async mutation rule loads data before the resolver runs", async () => {
    const { run } = setup();
    expect((await run('mutation { publishPost(postId: "p2") { id } }', { id: "u1", role: "Customer" })).errors?.[0]?.path).toEqual(["publishPost"]);
    expect(await run('mutation { publishPost(postId: "p1") { status } }', { id: "u1", role: "Customer" })).toEqual({ data: { publishPost: { status: "public" } } });
  });
});
