import { describe, expect, it } from "vitest";
import { resourceMatches } from "gatehouse/policy";
import { compileGlob, splitResource } from "../../src/policy/glob.js";

describe("compileGlob", () => {
  const cases: Array<[pattern: string, value: string, expected: boolean]> = [
    ["abc", "abc", true],
    ["abc", "abcd", false],
    ["*", "", true],
    ["*", "anything", true],
    ["**", "x", true],
    ["ab*", "abc", true],
    ["ab*", "xab", false],
    ["*bc", "abc", true],
    ["*bc", "bca", false],
    ["a*c", "abbbc", true],
    ["a*c", "ac", true],
    ["a*c", "acb", false],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "acb", false],
    ["ab*ba", "aba", false], // the pieces must not overlap
    ["*.*", "a.b", true],
    ["a.c", "abc", false], // regex metacharacters are literal
    ["a+b", "aab", false],
    ["(x)*", "(x)y", true],
    ["[a]", "a", false],
    ["a?c", "abc", false],
    ["*$", "price$", true],
  ];
  it.each(cases)("%s vs %s -> %s", (pattern, value, expected) => {
    expect(compileGlob(pattern)(value)).toBe(expected);
  });
});

describe("splitResource", () => {
  it("splits well-formed resources and rejects malformed ones", () => {
    expect(splitResource("Query::posts")).toEqual(["Query", "posts"]);
    expect(splitResource("*::*")).toEqual(["*", "*"]);
    for (const bad of ["", "Query", "::x", "x::", "a::b::c", "a:::b", "a::::b", "::"]) expect(splitResource(bad)).toBeNull();
  });
});

describe("resourceMatches", () => {
  it.each([
    ["Query::posts", "Query::posts", true],
    ["Query::*", "Query::posts", true],
    ["*::posts", "Query::posts", true],
    ["*::*", "Query::posts", true],
    ["Post::title*", "Post::titleHtml", true],
    ["Q*::p*", "Query::posts", true],
    ["Query::*", "Mutation::posts", false],
    ["*::posts", "Query::post", false],
  ])("%s covers %s: %s", (pattern, resource, expected) => {
    expect(resourceMatches(pattern, resource)).toBe(expected);
  });

  it("never lets * span the :: separator", () => {
    expect(resourceMatches("Query*", "Query::posts")).toBe(false);
    expect(resourceMatches("*::posts", "A::B::posts")).toBe(false);
  });

  it("is false for malformed or non-string arguments", () => {
    expect(resourceMatches("Query", "Query::posts")).toBe(false);
    expect(resourceMatches("*::*", "Query")).toBe(false);
    expect(resourceMatches(1 as never, "Query::posts")).toBe(false);
    expect(resourceMatches("*::*", null as never)).toBe(false);
  });
});
