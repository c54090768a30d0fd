/**
 * Coverage (which reachable fields no rule covers) and the access matrix
 * (who may reach which field), both from the compiled field rules.
 * @module
 */
import { getNamedType, isAbstractType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { createSecurityContext, type Identity, type Permission, type SecurityContext } from "../core/index.js";
import { createRequestEval, isPromise, type SharedEvalState } from "./evaluate.js";
import type { FieldRules, NamedRule } from "./field-rules.js";
import { decide, type FieldDecision } from "./pre-check.js";
import type { AccessMatrix, PromiseOrValue, Rule } from "./types.js";
import { resourceMatches, type PolicyEngine } from "../policy/index.js";
import { needsResult, usesPolicy } from "./rules.js";

/** A reachable field and the operation type it is first reached from. @internal */
export interface Reachable {
  readonly type: GraphQLObjectType;
  readonly fieldName: string;
  readonly coordinate: string;
  readonly action: "query" | "mutation" | "subscription";
}

/** Every `Type.field` reachable from the root types, nested included, sorted. @internal */
export function reachableFields(schema: GraphQLSchema): Reachable[] {
  const seen = new Set<string>();
  const out: Reachable[] = [];
  const roots = [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
    ["subscription", schema.getSubscriptionType()],
  ] as const;
  for (const [action, root] of roots) {
    if (!root) continue;
    const queue: GraphQLObjectType[] = [root];
    while (queue.length > 0) {
      const type = queue.shift()!;
      if (seen.has(type.name)) continue;
      seen.add(type.name);
      for (const field of Object.values(type.getFields())) {
        out.push({ type, fieldName: field.name, coordinate: `${type.name}.${field.name}`, action: type === root ? action : "query" });
        const named = getNamedType(field.type);
        if (isObjectType(named)) queue.push(named);
        else if (isAbstractType(named)) queue.push(...schema.getPossibleTypes(named));
      }
    }
  }
  return out.sort((a, b) => (a.coordinate < b.coordinate ? -1 : a.coordinate > b.coordinate ? 1 : 0));
}

/** Reachable coordinates with no rule from any source. @internal */
export function uncovered(schema: GraphQLSchema, rulesFor: (t: GraphQLObjectType, f: string) => FieldRules): string[] {
  return reachableFields(schema).filter((r) => rulesFor(r.type, r.fieldName).uncovered).map((r) => r.coordinate);
}

function policyHasConditions(engine: PolicyEngine | null, resource: string): boolean {
  return engine?.policies.some((p) => (p.conditions?.length ?? 0) > 0 && p.resources.some((pattern) => resourceMatches(pattern, resource))) ?? false;
}

/**
 * The rules the matrix can decide without data: the pre rules, plus the
 * data-free members of a post-execution `and(...)` (if `isAuthenticated`
 * inside `and(isAuthenticated, CanSeeEmail)` denies, the answer is "deny", not "depends").
 */
function decidableRules(rules: FieldRules): NamedRule[] {
  const out = [...rules.pre];
  for (const n of rules.post) {
    if (n.rule.kind === "and") for (const member of n.rule.rules) if (!needsResult(member)) out.push({ rule: member, name: n.name });
  }
  return out;
}

/** A subject of the matrix: a named security context, an identity, or `null` (anonymous). */
export type MatrixSubject = { name: string; security: SecurityContext } | Identity | null;

type Cell = "allow" | "deny" | "depends";

/** Accepts `{ name, security }`, a bare identity (its `permissions` array, if any, is used) or `null`. */
function toSubject(subject: MatrixSubject): { name: string; security: SecurityContext } {
  if (subject === null) return { name: "anonymous", security: createSecurityContext({ identity: null, permissions: [] }) };
  if ("security" in subject && typeof subject.security === "object" && subject.security !== null) {
    return subject as { name: string; security: SecurityContext };
  }
  const identity = subject as Identity;
  const permissions = Array.isArray(identity.permissions) ? (identity.permissions as Permission[]) : [];
  return { name: identity.displayName ?? identity.id, security: createSecurityContext({ identity, permissions }) };
}

/**
 * Builds the access matrix: data-free rules per coordinate with args `{}`.
 * Synchronous when every rule is; a promise only when some rule is async. @internal
 */
export function accessMatrix(
  schema: GraphQLSchema,
  rulesFor: (t: GraphQLObjectType, f: string) => FieldRules,
  shared: SharedEvalState,
  subjectsIn: ReadonlyArray<MatrixSubject>,
): PromiseOrValue<AccessMatrix> {
  const subjects = subjectsIn.map(toSubject);
  // Never share the cross-request TTL cache with real requests: the matrix context is synthetic.
  const isolated: SharedEvalState = { ...shared, ttl: new Map() };
  let pending = false;
  const rows = reachableFields(schema).map((r) => {
    const rules = rulesFor(r.type, r.fieldName);
    const decidable = decidableRules(rules);
    const resource = `${r.type.name}::${r.fieldName}`;
    const conditional = rules.pre.some((n) => usesPolicy(n.rule as Rule)) && policyHasConditions(shared.engine, resource);
    const dependsOnData = rules.post.length > 0 || rules.source.length > 0 || conditional;

    const verdictToCell = (d: FieldDecision): Cell => {
      // A policy with conditions decides on request data (args, ids): neither yes nor no here.
      if (!d.verdict.ok) return d.verdict.threw || (conditional && d.verdict.policyId === undefined) ? "depends" : "deny";
      return dependsOnData ? "depends" : "allow";
    };
    const cell = ({ security }: { security: SecurityContext }): PromiseOrValue<Cell> => {
      if (rules.uncovered) return "deny";
      const req = createRequestEval(isolated, { security }, security, r.action);
      const info = {
        coordinate: r.coordinate, parentTypeName: r.type.name, fieldName: r.fieldName, path: [r.fieldName], security, schema,
        operation: undefined as never, fieldNodes: [], variableValues: {},
      };
      try {
        const d = decide(decidable, (n) => req.run(n.rule, {}, "{}", info));
        if (!isPromise(d)) return verdictToCell(d);
        pending = true;
        return d.then(verdictToCell, (): Cell => "depends");
      } catch {
        return "depends";
      }
    };
    return { coordinate: r.coordinate, cells: subjects.map(cell) };
  });
  const names = subjects.map((s) => s.name);
  if (!pending) return { subjects: names, rows: rows as AccessMatrix["rows"] };
  return Promise.all(rows.map(async (row) => ({ coordinate: row.coordinate, cells: await Promise.all(row.cells) }))).then((done) => ({ subjects: names, rows: done }));
}
