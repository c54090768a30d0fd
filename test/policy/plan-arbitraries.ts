// Random policy sets, callers and objects over a small vocabulary, shared by
// the plan-vs-evaluate properties (engine, GraphQL row checks). Values are
// drawn from one small pool so that conditions, callers and objects often
// hold the same values, plus values of the wrong type for most operators.
import fc from "fast-check";
import { POLICY_OPERATORS, type EvaluateInput, type Policy, type PolicyCondition, type PolicyOperator } from "gatehouse/policy";
import { resolvePath, splitPath } from "../../src/policy/context-path.js";

export const ROOT_PATHS = ["root.id", "root.author.id", "root.n", "root.tags", "root.published", "root.author", "root"] as const;
export const CONTEXT_PATHS = ["user.id", "user.level", "user.roles", "user.roles.0", "identity.id", "identity.type", "args.id", "args.limit", "request.ip"] as const;

/** Scalars every operator can compare (as text, numbers or strictly). */
export const SCALARS = ["u1", "u*", "*", "", "1", "1.5", 0, 1, -1, 1.5, -0, true, false] as const;
/** Values of the wrong type for most operators. */
export const ODD: readonly unknown[] = [null, Number.NaN, Infinity, [], ["u1"], ["u1", 1], [null], { id: "u1" }, "1e0", " 1", "true"];

const scalar = fc.constantFrom(...SCALARS);
export const value: fc.Arbitrary<unknown> = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.constantFrom(...ODD) });

/** An expected value that validates for the operator. */
function expectedFor(operator: PolicyOperator): fc.Arbitrary<unknown> {
  switch (operator) {
    case "match":
    case "notMatch":
      return fc.constantFrom("u*", "*", "u1", "*1", "", "1", "1.5", "true", 0, 1, 1.5, -1);
    case "lessThan":
    case "greaterThan":
      return fc.constantFrom(0, 1, 1.5, -1, "1", "0.5", "-1", "1e0");
    case "exists":
      return fc.boolean();
    default:
      return fc.constantFrom("u1", "", "1", "*", "u*", 0, 1, -0, 1.5, true, false);
  }
}

const anyPath = fc.oneof(fc.constantFrom(...ROOT_PATHS), fc.constantFrom(...CONTEXT_PATHS));
const objectPath = fc.constantFrom(...ROOT_PATHS.filter((p) => p !== "root"));
const contextPath = fc.constantFrom(...CONTEXT_PATHS);

/** Where a condition's field and `expectedOnContext` paths point: mostly one side on the object, sometimes anything. */
const shape = fc.oneof(
  { weight: 4, arbitrary: fc.record({ field: objectPath, onContext: fc.constant<string[]>([]) }) },
  { weight: 3, arbitrary: fc.record({ field: objectPath, onContext: fc.array(contextPath, { minLength: 1, maxLength: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ field: contextPath, onContext: fc.array(fc.oneof(objectPath, contextPath), { minLength: 1, maxLength: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ field: contextPath, onContext: fc.array(contextPath, { maxLength: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ field: anyPath, onContext: fc.array(anyPath, { maxLength: 2 }) }) },
);

/** A valid condition: every operator, fields and expected values on the object and the context. */
export const condition: fc.Arbitrary<PolicyCondition> = fc
  .record({ shape, operator: fc.constantFrom(...POLICY_OPERATORS), n: fc.nat({ max: 2 }), single: fc.boolean() })
  .chain(({ shape: { field, onContext }, operator, n, single }) => {
    if (operator === "exists") {
      return fc.option(expectedFor("exists"), { nil: undefined }).map((e) => (e === undefined ? { field, operator } : { field, operator, expected: e }));
    }
    const count = onContext.length === 0 ? Math.max(1, n) : n;
    return fc.array(expectedFor(operator), { minLength: count, maxLength: count }).map((expected): PolicyCondition => {
      const c: PolicyCondition = { field, operator };
      if (expected.length > 0) c.expected = single && expected.length === 1 ? expected[0] : expected;
      if (onContext.length > 0) c.expectedOnContext = onContext;
      return c;
    });
  });

const nonEmpty = <T>(items: readonly T[]) => fc.subarray([...items], { minLength: 1 });

export const RESOURCE_PATTERNS = ["Post::*", "Post::body", "*", "*::body", "Post::b*", "User::*", "*::*", "Post::title"];

const policyBody = fc.record({
  effect: fc.constantFrom("allow", "allow", "Allow", "deny", "Deny"),
  actions: nonEmpty(["query", "mutation", "*", "q*"]),
  resources: fc.oneof({ weight: 3, arbitrary: fc.constant<string[]>(["Post::body"]) }, { weight: 2, arbitrary: nonEmpty(RESOURCE_PATTERNS) }),
  roles: fc.oneof({ weight: 3, arbitrary: fc.constant<string[]>(["*"]) }, { weight: 2, arbitrary: nonEmpty(["admin", "editor", "*", "ed*"]) }),
  conditions: fc.oneof({ weight: 1, arbitrary: fc.constant<PolicyCondition[]>([]) }, { weight: 4, arbitrary: fc.array(condition, { minLength: 1, maxLength: 2 }) }),
});

export const policies: fc.Arbitrary<Policy[]> = fc.array(policyBody, { minLength: 1, maxLength: 4 }).map((bodies) =>
  bodies.map(({ conditions, ...rest }, i): Policy => (conditions.length === 0 ? { id: `p${i}`, ...rest } : { id: `p${i}`, ...rest, conditions })),
);

/** A record of some of `keys`, each a random value. */
const some = (keys: readonly string[], v: fc.Arbitrary<unknown> = value) => fc.dictionary(fc.constantFrom(...keys), v, { maxKeys: keys.length });

/** Usually every key of `keys`, sometimes only some. */
const mostly = (keys: readonly string[]) =>
  fc.oneof({ weight: 1, arbitrary: some(keys) }, { weight: 3, arbitrary: fc.record(Object.fromEntries(keys.map((k) => [k, value]))) });

export const roles = fc.subarray(["admin", "editor", "viewer"]);

/** The caller's attributes (`user` / `identity`). */
export const caller = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 8, arbitrary: fc.record({ id: value, level: value, type: value, roles: fc.oneof(value, fc.array(scalar, { maxLength: 2 })) }, { requiredKeys: ["id", "level"] }) },
);

/** Context values other than the object; an optional `root` that plan must ignore. */
export const context = fc.record(
  { user: caller, identity: caller, args: mostly(["id", "limit"]), request: mostly(["ip"]), root: fc.oneof(value, some(["id", "n"])) },
  { requiredKeys: ["user", "identity", "args", "request"] },
);

export const request: fc.Arbitrary<EvaluateInput> = fc.record({
  action: fc.constantFrom("query", "mutation"),
  resource: fc.constantFrom("Post::body", "Post::body", "Post::body", "Post::title"),
  roles,
  context,
});

const author = fc.oneof({ weight: 3, arbitrary: some(["id"]) }, { weight: 1, arbitrary: value });

/** A plain object row. */
const plainRow = fc.record(
  { id: value, author, n: value, tags: fc.oneof(value, fc.array(value, { maxLength: 3 })), published: value },
  { requiredKeys: [] },
);

/** A row as an ORM entity: every field a getter of its class, reading hidden data (like Sequelize models). */
export class Entity {
  readonly #data: Record<string, unknown>;
  constructor(data: Record<string, unknown>) {
    this.#data = data;
  }
  get id() {
    return this.#data.id;
  }
  get author() {
    return this.#data.author;
  }
  get n() {
    return this.#data.n;
  }
  get tags() {
    return this.#data.tags;
  }
  get published() {
    return this.#data.published;
  }
}

/**
 * Rows: plain objects, class instances with getters, objects inheriting
 * from a plain object, null-prototype objects, objects parsed from JSON with
 * `__proto__` / `constructor` keys (own data, never a prototype), arrays and null.
 */
export const row: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: plainRow },
  { weight: 1, arbitrary: plainRow.map((r) => Object.assign(Object.create(null) as object, r)) },
  { weight: 1, arbitrary: plainRow.map((r) => new Entity(r)) },
  { weight: 1, arbitrary: fc.tuple(plainRow, plainRow).map(([inherited, own]) => Object.assign(Object.create(inherited) as object, own)) },
  { weight: 1, arbitrary: plainRow.map((r) => JSON.parse(`{"__proto__": {"id": "u1", "n": 1}, "constructor": {"id": "u1"}, "rest": ${JSON.stringify(r) ?? "null"}}`) as unknown) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], ["u1"], "u1", 1) },
);

const isRoot = (path: string) => path === "root" || path.startsWith("root.");
const isScalar = (v: unknown) => typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/**
 * The documented cases where a plan may be narrower than `evaluate` (never
 * wider): the whole object or two fields of it compared, and array values
 * of `in` / `notIn` that the row filter cannot express.
 */
export function documentedNarrowing(list: readonly Policy[], input: EvaluateInput, rowValue: unknown): boolean {
  const ctx = { ...(input.context ?? {}), root: rowValue };
  return list.some((p) =>
    (p.conditions ?? []).some((c) => {
      const names = c.expectedOnContext ?? [];
      if (c.field === "root" || names.includes("root")) return true;
      if (isRoot(c.field) && names.some(isRoot)) return true;
      if (c.operator !== "in" && c.operator !== "notIn") return false;
      const fieldValue = resolvePath(ctx, splitPath(c.field));
      if (isRoot(c.field)) return Array.isArray(fieldValue);
      return names.some(isRoot) && Array.isArray(fieldValue) && !fieldValue.some(isScalar);
    }),
  );
}
