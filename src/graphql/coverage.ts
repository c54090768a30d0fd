/**
 * Coverage (which reachable fields no rule covers) and the access matrix
 * (who may reach which field), both from the compiled field rules.
 * @module
 */
import { getNamedType, isAbstractType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import type { SecurityContext } from "../core/index.js";
import { createRequestEval, type SharedEvalState } from "./evaluate.js";
import type { FieldRules, NamedRule } from "./field-rules.js";
import { decide } from "./pre-check.js";
import type { AccessMatrix, Rule } from "./types.js";
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

/** Builds the access matrix: data-free rules per coordinate with args `{}`, awaiting async rules. @internal */
export async function accessMatrix(
  schema: GraphQLSchema,
  rulesFor: (t: GraphQLObjectType, f: string) => FieldRules,
  shared: SharedEvalState,
  subjects: ReadonlyArray<{ name: string; security: SecurityContext }>,
): Promise<AccessMatrix> {
  const fields = reachableFields(schema);
  // Never share the cross-request TTL cache with real requests: the matrix context is synthetic.
  const isolated: SharedEvalState = { ...shared, ttl: new Map() };
  const rows = [];
  for (const r of fields) {
    const rules = rulesFor(r.type, r.fieldName);
    const decidable = decidableRules(rules);
    const resource = `${r.type.name}::${r.fieldName}`;
    const conditional = rules.pre.some((n) => usesPolicy(n.rule as Rule)) && policyHasConditions(shared.engine, resource);
    const dependsOnData = rules.post.length > 0 || conditional;
    const cells: Array<"allow" | "deny" | "depends"> = [];
    for (const { security } of subjects) cells.push(await cell(security));
    rows.push({ coordinate: r.coordinate, cells });

    async function cell(security: SecurityContext): Promise<"allow" | "deny" | "depends"> {
      if (rules.uncovered) return "deny";
      const req = createRequestEval(isolated, { security }, security, r.action);
      const info = {
        coordinate: r.coordinate, parentTypeName: r.type.name, fieldName: r.fieldName, path: [r.fieldName], security, schema,
        operation: undefined as never, fieldNodes: [], variableValues: {},
      };
      let d;
      try {
        d = await decide(decidable, (n) => req.run(n.rule, {}, "{}", info));
      } catch {
        return "depends";
      }
      // A policy with conditions decides on request data (args, ids): neither yes nor no here.
      if (!d.verdict.ok) return d.verdict.threw || (conditional && d.verdict.policyId === undefined) ? "depends" : "deny";
      return dependsOnData ? "depends" : "allow";
    }
  }
  return { subjects: subjects.map((s) => s.name), rows };
}
