// A post rule's selectionSet as GraphQL AuthZ allows it: fields, nested
// fields and inline fragments on abstract types, relative to the parent
// type of the field the rule is attached to. What the rule reads stays out
// of the response, and a client cannot forge it.
import { describe, expect, it, vi } from "vitest";
import { postExecRule, PostExecutionRule } from "gatehouse/graphql";
import { codes, MODES, setup, type User } from "./harness.js";

const member: User = { id: "u1", role: "customer" };
const sdl = `
  interface Item { id: ID! }
  union Thing = Book | Film
  type Book implements Item @@Book { id: ID!  pages: Int!  secret: String! }
  type Film implements Item { id: ID!  minutes: Int!  rating: String! }
  type Query {
    thing: Thing! @@Query.thing
    things: [Thing!]! @@Query.things
    item: Item @@Query.item
    shelf: Shelf
  }
  type Shelf { label: String @@Shelf.label  best: Thing! }
`;
const book = { __typename: "Book", id: "b1", pages: 300, secret: "s3cr3t" };
const film = { __typename: "Film", id: "f1", minutes: 90, rating: "R" };
const resolvers = {
  Thing: { __resolveType: (o: { __typename: string }) => o.__typename },
  Item: { __resolveType: (o: { __typename: string }) => o.__typename },
  Query: { thing: () => book, things: () => [book, film], item: () => film, shelf: () => ({ label: "top" }) },
  Shelf: { best: () => film },
};

describe.each(MODES)("selectionSet with inline fragments (%s)", (mode) => {
  it("reads a field of one concrete type through a fragment on the union, and strips it", async () => {
    class OnlyThinBooks extends PostExecutionRule {
      override selectionSet = "{ thing { ... on Book { pages } } }";
      execute(_c: unknown, _a: unknown, _v: unknown, parent: { thing: { pages?: number } }) {
        return (parent.thing.pages ?? 0) < 500;
      }
    }
    const spy = vi.spyOn(OnlyThinBooks.prototype, "execute");
    const h = setup({ sdl, attach: { "Query.thing": { rules: ["OnlyThinBooks"] } }, rules: { OnlyThinBooks }, resolvers, mode });
    const result = await h.run("{ thing { ... on Film { minutes } ... on Book { id } } }", member);
    expect(result).toEqual({ data: { thing: { id: "b1" } } });
    expect(spy).toHaveBeenCalledTimes(1);
    expect((spy.mock.calls[0]![3] as { thing: unknown }).thing).toEqual({ pages: 300 });
  });

  it("a fragment at the top of the selection applies where the parent type matches", async () => {
    const rule = postExecRule({ selectionSet: "{ id ... on Book { secret } }" })((_c, _a, _v, parent: { id: string; secret?: string }) => parent.secret !== "s3cr3t");
    const h2 = setup({ sdl, attach: { Book: { rules: ["R"] } }, rules: { R: rule }, resolvers, mode });
    const result = await h2.run("{ things { ... on Book { pages } ... on Film { minutes } } }", member);
    // Book.pages is denied (the rule read `secret`), Film has no rule.
    expect(codes(result)).toEqual(["FORBIDDEN"]);
    expect(JSON.stringify(result)).not.toContain("s3cr3t");
  });

  it("rows of different concrete types each get the fields their fragment selects", async () => {
    const seen: unknown[] = [];
    const rule = postExecRule({ selectionSet: "{ things { ... on Book { pages } ... on Film { rating } } }" })((_c, _a, _v, parent: { things: unknown[] }) => {
      seen.push(parent.things);
      return true;
    });
    const h = setup({ sdl, attach: { "Query.things": { rules: ["R"] } }, rules: { R: rule }, resolvers, mode });
    expect(await h.run("{ things { ... on Book { id } } }", member)).toEqual({ data: { things: [{ id: "b1" }, {}] } });
    expect(seen).toEqual([[{ pages: 300 }, { rating: "R" }]]);
  });
});

describe("selectionSet: security", () => {
  it("a client alias cannot stand in for what the rule reads", async () => {
    const rule = postExecRule({ selectionSet: "{ thing { ... on Book { pages } } }" })((_c, _a, _v, parent: { thing: { pages: number } }) => parent.thing.pages < 100);
    const h = setup({ sdl, attach: { "Query.thing": { rules: ["R"] } }, rules: { R: rule }, resolvers, mode: "authSchema" });
    // The client selects `pages` itself and tries aliases that look like the injected keys.
    const result = await h.run("{ thing { ... on Book { pages: id __gh0_thing: id } } }", member);
    expect(codes(result)).toEqual(["FORBIDDEN"]);
    expect(result.data).toBeNull();
  });

  it("a fragment selection is always injected, never read from the client's fields", async () => {
    const rule = postExecRule({ selectionSet: "{ thing { ... on Book { pages } } }" })((_c, _a, _v, parent: { thing: { pages: number } }) => parent.thing.pages === 300);
    const h = setup({ sdl, attach: { "Query.thing": { rules: ["R"] } }, rules: { R: rule }, resolvers, mode: "authSchema" });
    // `thing { ... on Book { pages } }` is also what the client asks: the result must be exactly the client's.
    expect(await h.run("{ thing { ... on Book { pages } } }", member)).toEqual({ data: { thing: { pages: 300 } } });
  });

  it("fields the rule reads are executed without being returned, even when the client may not read them", async () => {
    const rule = postExecRule({ selectionSet: "{ best { ... on Film { rating } } }" })((_c, _a, _v, parent: { best: { rating: string } }) => parent.best.rating !== "R");
    const h = setup({
      sdl,
      attach: { "Shelf.label": { rules: ["R"] }, "Film.rating": { rules: ["Never"] } },
      rules: { R: rule, Never: postExecRule()(() => false) },
      resolvers,
      mode: "authSchema",
    });
    const result = await h.run("{ shelf { label } }", member);
    expect(result.data).toEqual({ shelf: { label: null } });
    expect(JSON.stringify(result.data)).not.toContain("R\"");
  });

  it.each([
    ["a named fragment", "{ ...Frag }"],
    ["an alias", "{ a: id }"],
    ["a syntax error", "{ status "],
    ["two operations", "{ a } { b }"],
  ])("%s in selectionSet → TypeError when the rule is built", (_n, selectionSet) => {
    expect(() => postExecRule({ selectionSet })(() => true)).toThrow(TypeError);
  });

  it.each([
    ["a field the type does not have", "{ nope }"],
    ["a fragment on an unknown type", "{ thing { ... on Nope { id } } }"],
    ["a fragment on a scalar", "{ thing { ... on String { id } } }"],
    ["a field missing inside a fragment", "{ thing { ... on Book { minutes } } }"],
  ])("%s → TypeError at createAuthz", (_n, selectionSet) => {
    const rule = postExecRule({ selectionSet })(() => true);
    expect(() => setup({ sdl, attach: { "Query.thing": { rules: ["R"] } }, rules: { R: rule }, resolvers, mode: "authSchema" })).toThrow(TypeError);
  });
});
