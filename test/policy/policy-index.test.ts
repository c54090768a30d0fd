import { describe, expect, it } from "vitest";
import type { Policy } from "gatehouse/policy";
import { compilePolicy } from "../../src/policy/compile.js";
import { buildIndex, candidates } from "../../src/policy/policy-index.js";
import { normalizePolicies } from "../../src/policy/validate.js";

function setup(policies: Policy[]) {
  const compiled = normalizePolicies(policies).map(compilePolicy);
  const index = buildIndex(compiled);
  const ids = (action: string, resource: string) => {
    const [type, field] = resource.split("::") as [string, string];
    return candidates(index, action, type, field).flat().map((p) => p.id);
  };
  return { index, ids };
}

const p = (id: string, resources: string[], actions = ["query"]): Policy => ({ id, effect: "allow", actions, resources, roles: ["*"] });

describe("policy index", () => {
  it("finds the four indexed resource forms for exact and '*' actions", () => {
    const { ids } = setup([
      p("exact", ["User::email"]),
      p("type", ["User::*"]),
      p("field", ["*::email"]),
      p("all", ["*::*"]),
      p("any-action", ["User::email"], ["*"]),
      p("other-action", ["User::email"], ["mutation"]),
      p("other-type", ["Post::*"]),
    ]);
    expect(ids("query", "User::email")).toEqual(["exact", "type", "field", "all", "any-action"]);
    expect(ids("query", "User::name")).toEqual(["type", "all"]);
    expect(ids("mutation", "User::email")).toEqual(["other-action", "any-action"]);
  });

  it("scans only policies with other globs, and only returns real matches", () => {
    const { index, ids } = setup([p("title", ["Post::title*"]), p("sub", ["A::b"], ["sub*"]), p("plain", ["Post::body"])]);
    expect(index.scanned.map((x) => x.id)).toEqual(["title", "sub"]);
    expect(ids("query", "Post::titleHtml")).toEqual(["title"]);
    expect(ids("query", "Post::body")).toEqual(["plain"]);
    expect(ids("subscription", "A::b")).toEqual(["sub"]);
  });

  it("stores a policy once per bucket even when two of its patterns land there", () => {
    const { ids } = setup([p("twice", ["User::email", "User::email", "User::*"])]);
    expect(ids("query", "User::email")).toEqual(["twice", "twice"]);
  });

  it("does not look at unrelated policies, however many there are", () => {
    const unrelated = Array.from({ length: 2000 }, (_, i) => p(`u${i}`, [`Type${i}::field${i}`, `Type${i}::*`, `*::only${i}`], [i % 2 ? "query" : "mutation"]));
    const { ids } = setup([...unrelated, p("target", ["User::email"])]);
    expect(ids("query", "User::email")).toEqual(["target"]);
    expect(ids("query", "Nope::nothing")).toEqual([]);
  });
});
