import { describe, expect, it } from "vitest";
import { postExecRule } from "gatehouse/graphql";
import { allow, fromShield, rule } from "gatehouse/graphql/shield";
import { ALICE, harness, standardOptions } from "./fixtures.js";

const base = standardOptions();

// A post rule reads fields the client selected too; a value withheld from the client must never be what it judges.
describe("a client field a post rule reads in place", () => {
  it("nulled by a denied non-null field below it: the rule still judges the real value", async () => {
    const seen: unknown[] = [];
    const NotBobs = postExecRule({ selectionSet: "{ author { id } }" })((_c, _a, _v, parent) => (seen.push(parent.author), parent.author?.id !== "u2"));
    const h = harness({
      ...base,
      rules: { ...base.rules, NotBobs },
      authSchema: { ...base.authSchema, User: { ...base.authSchema!.User, name: { __authz: { rules: ["IsAdmin"] } } }, Comment: { "*": { __authz: { rules: ["Anyone"] } }, text: { __authz: { rules: ["NotBobs"] } } } },
    });
    // User.name is String!: its denial nulls the comment's author for the client.
    // Comment.text is String! in [Comment!]!: its denial nulls the post.
    const result = await h.run('{ post(id: "p1") { comments { author { id name } text } } }', ALICE);
    expect(result.data).toEqual({ post: null });
    expect(result.errors?.map((e) => e.path)).toEqual([["post", "comments", 0, "author", "name"], ["post", "comments", 0, "text"]]);
    expect(seen).toEqual([{ id: "u2" }]);
  });

  it("withheld by a rule judged inside its resolver (graphql-shield port): the rule still judges the real value", async () => {
    const seen: unknown[] = [];
    const EmailUnlessBob = postExecRule({ selectionSet: "{ secret }" })((_c, _a, _v, parent) => (seen.push(parent.secret), parent.secret !== "s-bob"));
    const shield = fromShield({ User: { secret: rule({ cache: "no_cache" })((u: { id: string }) => u.id === "u1"), "*": allow } }, { fallbackRule: allow });
    const h = harness({
      ...base,
      rules: { ...base.rules, ...shield.rules, EmailUnlessBob },
      authSchema: { ...base.authSchema, User: { ...shield.authSchema.User, email: { __authz: { rules: ["EmailUnlessBob"] } } } },
    });
    const result = await h.run("{ users { id secret email } }", ALICE);
    expect(result.data).toEqual({ users: [{ id: "u1", secret: "s-alice", email: "alice@example.test" }, { id: "u2", secret: null, email: null }] });
    expect(seen).toEqual(["s-alice", "s-bob"]);
    expect(JSON.stringify(result)).not.toContain("__gh");
  });
});
