/**
 * Post-execution rules on the result: present each rule the field's value
 * and its parent with the injected fields under their real names, strip the
 * injected fields, null denied positions and propagate nulls through
 * non-null positions as the GraphQL spec does.
 * @module
 */
import { getNamedType, isAbstractType, isListType, isNonNullType, type GraphQLOutputType, type GraphQLSchema } from "graphql";
import type { SecurityContext } from "../core/index.js";
import { isPromise, type RequestEval } from "./evaluate.js";
import { decide, ruleInfo, type FieldDecision, type PreCheck } from "./pre-check.js";
import type { Plan, PlanField, PostAugmentation } from "./plan.js";
import type { PromiseOrValue } from "./types.js";

type Path = Array<string | number>;
type Obj = Record<string, unknown>;

interface Check {
  readonly field: PlanField;
  readonly path: Path;
  /** Per path position: true when that position may not hold null. */
  readonly nonNull: boolean[];
  readonly value: unknown;
  readonly parent: Obj;
  readonly parentKey: object;
}

/** A post-execution denial, to be reported and applied. @internal */
export interface PostDenial {
  readonly field: PlanField;
  readonly path: Path;
  readonly nonNull: boolean[];
  readonly decision: FieldDecision;
}

/** Walks the result: strips injected keys and collects rule applications. @internal */
export function collectChecks(plan: Plan, aug: PostAugmentation, data: Obj, pre: PreCheck): { data: Obj; checks: Check[] } {
  const checks: Check[] = [];
  const active = new Set(pre.included);
  const level = (fields: readonly PlanField[], obj: Obj, path: Path, nonNull: boolean[]): Obj => {
    const clean: Obj = {};
    const extra: Obj = {};
    for (const key of Object.keys(obj)) {
      if (!key.startsWith(aug.prefix)) clean[key] = obj[key];
      else if (key !== aug.typenameKey) extra[key.slice(aug.prefix.length)] = obj[key];
    }
    for (const f of fields) {
      if (!active.has(f) || !(f.responseKey in obj) || !f.children || !f.returnType) continue;
      clean[f.responseKey] = value(f, f.returnType, obj[f.responseKey], [...path, f.responseKey], [...nonNull, isNonNullType(f.returnType)]);
    }
    const parent = { ...clean, ...extra };
    for (const f of fields) {
      if (f.rules.post.length === 0 || !active.has(f) || !(f.responseKey in obj)) continue;
      if (pre.decisions.get(f)?.verdict.ok === false) continue;
      checks.push({ field: f, path: [...path, f.responseKey], nonNull: [...nonNull, !!f.returnType && isNonNullType(f.returnType)], value: clean[f.responseKey], parent, parentKey: obj });
    }
    return clean;
  };
  const value = (f: PlanField, type: GraphQLOutputType, v: unknown, path: Path, nonNull: boolean[]): unknown => {
    if (v === null || v === undefined) return v;
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      const item = inner.ofType as GraphQLOutputType;
      return (v as unknown[]).map((x, i) => value(f, item, x, [...path, i], [...nonNull, isNonNullType(item)]));
    }
    const named = getNamedType(inner);
    const obj = v as Obj;
    const typeName = isAbstractType(named) ? obj[aug.typenameKey] : named.name;
    // Unknown concrete type: the rules cannot be applied, so the object is withheld (fail closed).
    if (typeof typeName !== "string") return null;
    return level(f.children?.get(typeName) ?? [], obj, path, nonNull);
  };
  return { data: level(plan.roots, data, [], []), checks };
}

/** Evaluates the collected checks. @internal */
export function runChecks(
  checks: readonly Check[],
  plan: Plan,
  pre: PreCheck,
  req: RequestEval,
  security: SecurityContext,
  schema: GraphQLSchema,
  vars: Record<string, unknown>,
): PromiseOrValue<PostDenial[]> {
  const denials: PostDenial[] = [];
  const pending: Promise<void>[] = [];
  for (const c of checks) {
    const a = pre.args.get(c.field) ?? { values: {}, key: "{}" };
    const info = ruleInfo(c.field, c.path, security, schema, plan, vars);
    const target = { value: c.value, parent: c.parent, parentKey: c.parentKey };
    const d = decide(c.field.rules.post, (r) => req.run(r.rule, a.values, a.key, info, target));
    const record = (r: FieldDecision) => {
      if (!r.verdict.ok) denials.push({ field: c.field, path: c.path, nonNull: c.nonNull, decision: r });
    };
    if (isPromise(d)) pending.push(d.then(record));
    else record(d);
  }
  return pending.length > 0 ? Promise.all(pending).then(() => denials) : denials;
}

/** Nulls the denied position, moving up while positions are non-null. Returns the new data. @internal */
export function applyNull(data: Obj | null, path: Path, nonNull: readonly boolean[]): Obj | null {
  let i = path.length - 1;
  while (i >= 0 && nonNull[i]) i--;
  if (i < 0 || data === null) return null;
  let container: unknown = data;
  for (let j = 0; j < i; j++) {
    container = (container as Obj)[path[j] as string];
    if (container === null || container === undefined) return data;
  }
  (container as Obj)[path[i] as string] = null;
  return data;
}
