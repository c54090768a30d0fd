import { makeExecutableSchema } from "@graphql-tools/schema";
import { GraphQLError, execute, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { allow, createAuthz, deny } from "gatehouse/graphql";
import { allow as shieldAllow, fromShield, rule } from "gatehouse/graphql/shield";
import { ALICE, securityFor } from "./fixtures.js";

// Denials raised on the gated schema (fields denied before execution, rules judged on
// the resolver's source object) are never thrown: a nullable field's denial resolves
// the field to null and its error is merged into the response's errors afterwards, a
// non-null field's is handed to graphql-js as the resolver's result. The response must
// be what graphql-js makes of a thrown denial: nulls, null propagation through
// non-null fields, one error per propagation. With synchronous resolvers, the errors
// come in the same order too (document order). With asynchronous ones graphql-js lists
// errors as they happen; the denials are merged in document order, so the same errors
// come, but not necessarily in the same order.
const typeDefs = /* GraphQL */ `
  type Query { rows: [Row]! strict: [Row!] }
  type Row { id: ID! broken: String secret: String hidden: String! after: String }
`;
const data = [{ id: "1" }, { id: "2" }, { id: "3" }];
type Row = { id: string };
const denied = () => new GraphQLError("Not authorized.", { extensions: { code: "FORBIDDEN" } });

/** The schema; `guard` decides each row's `secret` and `hidden` (for the reference, by throwing a denial). */
function schemaWith(async: boolean, guard: (field: "secret" | "hidden", row: Row) => void = () => undefined) {
  const later = <T>(make: () => T) => (async ? Promise.resolve().then(make) : make());
  return makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: { rows: () => later(() => data), strict: () => later(() => data) },
      Row: {
        broken: (row: Row) => later(() => {
          if (row.id === "2") throw new Error("resolver failed");
          return "ok";
        }),
        // The guard decides before the resolver's own (maybe asynchronous) work, as the gate does.
        secret: (row: Row) => (guard("secret", row), later(() => `s${row.id}`)),
        hidden: (row: Row) => (guard("hidden", row), later(() => `h${row.id}`)),
        after: () => later(() => "a"),
      },
    },
  });
}

const shape = (res: ExecutionResult) => ({ data: res.data, errors: res.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })) });
/** The same errors in any order, for asynchronous resolvers. */
const unordered = (res: ExecutionResult) => {
  const { data, errors } = shape(res);
  return { data, errors: errors?.map((e) => JSON.stringify(e)).sort() };
};
const documents = ["{ rows { id broken secret after } }", "{ strict { id secret hidden after } }", "{ rows { id secret hidden broken } }", "{ strict { id broken hidden } }"];

describe("denials on the gated schema behave as thrown errors", () => {
  for (const async of [false, true]) {
    const label = async ? "asynchronous resolvers" : "synchronous resolvers";
    const same = async ? unordered : shape;

    it(`fromShield rules judged on the source object: same data and errors as a throw, in the same order when synchronous (${label})`, async () => {
      const allowed = (field: "secret" | "hidden", row: Row) => (field === "secret" ? row.id === "1" : row.id !== "3");
      const reference = schemaWith(async, (field, row) => {
        if (!allowed(field, row)) throw denied();
      });
      const schema = schemaWith(async);
      const ported = fromShield({
        Query: shieldAllow,
        Row: {
          "*": shieldAllow,
          secret: rule({ cache: "no_cache" })((row: Row) => allowed("secret", row)),
          hidden: rule({ cache: "no_cache" })((row: Row) => allowed("hidden", row)),
        },
      });
      const authz = createAuthz({ schema, ...ported });
      for (const source of documents) {
        const document = parse(source);
        const got = await authz.execute({ schema, document, contextValue: { security: securityFor(ALICE) } });
        expect(same(got), source).toEqual(same(await execute({ schema: reference, document })));
      }
    });

    it(`fields denied before execution: same data and errors as a throw, in the same order when synchronous (${label})`, async () => {
      const reference = schemaWith(async, () => {
        throw denied();
      });
      const schema = schemaWith(async);
      const authz = createAuthz({
        schema,
        rules: { Anyone: allow, Nobody: deny },
        authSchema: {
          Query: { "*": { __authz: { rules: ["Anyone"] } } },
          Row: { "*": { __authz: { rules: ["Anyone"] } }, secret: { __authz: { rules: ["Nobody"] } }, hidden: { __authz: { rules: ["Nobody"] } } },
        },
      });
      for (const source of documents) {
        const document = parse(source);
        const got = await authz.execute({ schema, document, contextValue: { security: securityFor(ALICE) } });
        expect(same(got), source).toEqual(same(await execute({ schema: reference, document })));
      }
    });
  }
});
