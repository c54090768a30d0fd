// The wrapped copy's resolvers remember the check they used last (one
// context, one field-node array). graphql-js makes new field-node arrays per
// execution, so requests never meet there; these tests call a wrapper
// directly with one info object, as an executor that kept its arrays
// across executions would, to show the memory serves no other request.
import { buildSchema, GraphQLError, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import { describe, expect, it } from "vitest";
import { wrapSchema, type FieldCheck, type FieldGate } from "../../src/graphql/wrapped-schema.js";

const schema = buildSchema(`type Query { item: Item } type Item { id: ID! note: String }`);

function setUp() {
  const gated = wrapSchema(schema, {
    isOpen: (_type, field) => field !== "note",
    noGate: () => {
      throw new GraphQLError("no request");
    },
  });
  const item = gated.schema.getType("Item") as GraphQLObjectType;
  const resolve = item.getFields().note!.resolve as GraphQLFieldResolver<unknown, unknown>;
  // One info object for every call: the same field-node array each time.
  const info = { fieldNodes: [{ kind: "Field" }], parentType: item, fieldName: "note" } as unknown as GraphQLResolveInfo;
  const gate = (name: string, allows: boolean, asked: string[]): FieldGate => ({
    fieldResolver: undefined,
    record: () => undefined,
    checkOf: (): FieldCheck => () => {
      asked.push(name);
      return allows ? undefined : new GraphQLError(`denied by ${name}`);
    },
  });
  return { gated, call: (context: object) => resolve({ note: "n" }, {}, context, info), gate };
}

describe("a wrapper's remembered check", () => {
  it("is not used for another request running beside the first", () => {
    const { gated, call, gate } = setUp();
    const asked: string[] = [];
    const a = {};
    const b = {};
    const releaseA = gated.enter(a, gate("A", true, asked));
    const releaseB = gated.enter(b, gate("B", false, asked));
    expect(call(a)).toBe("n");
    // A nullable field: the denial is recorded and the row resolves to null.
    expect(call(b)).toBeNull();
    expect(call(a)).toBe("n");
    expect(asked).toEqual(["A", "B", "A"]);
    releaseA();
    releaseB();
  });

  it("is forgotten when its request ends: the same context in a later request gets the later request's check", () => {
    const { gated, call, gate } = setUp();
    const asked: string[] = [];
    const context = {};
    const first = gated.enter(context, gate("first", true, asked));
    expect(call(context)).toBe("n");
    first();
    const second = gated.enter(context, gate("second", false, asked));
    expect(call(context)).toBeNull();
    second();
    expect(asked).toEqual(["first", "second"]);
  });

  it("after its request ends, with no request running, the field is denied", () => {
    const { gated, call, gate } = setUp();
    const context = {};
    const release = gated.enter(context, gate("only", true, []));
    expect(call(context)).toBe("n");
    release();
    expect(() => call(context)).toThrow("no request");
  });

  it("serves the rows of one field in one request without asking the request again", () => {
    const { gated, call, gate } = setUp();
    const asked: string[] = [];
    const context = {};
    let lookups = 0;
    const g = gate("one", true, asked);
    const release = gated.enter(context, { ...g, checkOf: (info) => (lookups++, g.checkOf(info)) });
    for (let i = 0; i < 5; i++) expect(call(context)).toBe("n");
    release();
    expect(lookups).toBe(1);
    expect(asked).toHaveLength(5);
  });
});
