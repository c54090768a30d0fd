/**
 * Row checks of policies that read the object, remembered across requests.
 * `engine.plan` depends only on the action, the resource, the roles and the
 * context values the policies' conditions read; when those values are plain
 * (strings, numbers, booleans, null or missing), they make the key, and the
 * plan is made from a context holding exactly those values, so what is
 * remembered is what the key describes, whatever the real context does when
 * read again.
 * @module
 */
import { Lru } from "../core/lru.js";
import { resolvePath, splitPath } from "../policy/context-path.js";
import type { EvaluateInput, PolicyEngine } from "../policy/index.js";

/** Bounds the remembered row checks per resource. */
const PLANS_PER_RESOURCE = 1000;

/** A row check compiled from the policies' residue over the object. */
export type RowCheck = (row: unknown) => boolean;

/** The context paths (other than `root.*`) that any condition reads, split; `null` when the engine does not list its policies. */
function contextPathsOf(engine: PolicyEngine): ReadonlyArray<readonly string[]> | null {
  if (!Array.isArray((engine as { policies?: unknown }).policies)) return null;
  const paths = new Set<string>();
  for (const policy of engine.policies) {
    for (const c of policy.conditions ?? []) {
      for (const path of [c.field, ...(c.expectedOnContext ?? [])]) {
        if (typeof path !== "string") return null;
        if (path !== "root" && !path.startsWith("root.")) paths.add(path);
      }
    }
  }
  try {
    return [...paths].sort().map(splitPath);
  } catch {
    // A path the engine would not accept: never guess a key for it.
    return null;
  }
}

/**
 * One self-delimiting part of a key: strings carry their length, so no value
 * can imitate a separator; `undefined` (missing) and null stay apart.
 */
function token(value: unknown): string {
  if (typeof value === "string") return `s${value.length}:${value};`;
  if (typeof value === "number") return `n${value};`;
  if (typeof value === "boolean") return value ? "t;" : "f;";
  return value === null ? "z;" : "u;";
}

const isPlain = (v: unknown) => v === undefined || v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** Places `value` at `segments` in `target`, making the objects on the way. */
function place(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let at = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i]!;
    let next = at[key];
    if (typeof next !== "object" || next === null) at[key] = next = Object.create(null) as Record<string, unknown>;
    at = next as Record<string, unknown>;
  }
  at[segments[segments.length - 1]!] = value;
}

/**
 * The caller of `input` when nothing a key reads from it can change: the
 * identity, its roles and every object on the way to a value are frozen
 * and hold the values as own data properties (so no getter runs, and a
 * Proxy must answer as its frozen target); else `null`.
 */
function callerOf(input: EvaluateInput): object | null {
  const context = input.context as { user?: unknown; identity?: unknown } | undefined;
  const identity = context?.identity;
  if (typeof identity !== "object" || identity === null || context?.user !== identity) return null;
  if (!Object.isFrozen(identity) || input.roles !== (identity as { roles?: unknown }).roles || !Object.isFrozen(input.roles)) return null;
  return identity;
}

/** Does every step of `segments` (after the first, which names the caller) read an own data property of a frozen object? */
function fixedAlong(identity: object, segments: readonly string[]): boolean {
  let at: unknown = identity;
  for (let i = 1; i < segments.length; i++) {
    if (typeof at !== "object" || at === null) return true;
    if (!Object.isFrozen(at)) return false;
    const own = Object.getOwnPropertyDescriptor(at, segments[i]!);
    // Missing or inherited: a prototype could gain a member later.
    if (!own || !("value" in own)) return false;
    at = own.value;
  }
  return true;
}

/** Remembered row checks for one resource's policies. @internal */
export interface PolicyPlans {
  /** Does a key read the field's arguments? When not, one request has one key for every field. */
  readonly readsArgs: boolean;
  /** The key of this input's roles and context values, or `null` when it cannot be remembered. */
  keyOf(input: EvaluateInput): string | null;
  /** The check remembered for a key. */
  get(key: string): RowCheck | undefined;
  /**
   * Counts a request that found no check; true from the second one on, when
   * planning for later requests pays (a key seen once is not planned for).
   */
  missed(key: string): boolean;
  /** Plans from a context holding exactly the values the key was made of, and remembers the check. */
  plan(key: string, input: EvaluateInput, planner: (input: EvaluateInput) => RowCheck): RowCheck | null;
}

/** @internal */
export function policyPlans(engine: PolicyEngine): PolicyPlans | null {
  const paths = contextPathsOf(engine);
  if (paths === null) return null;
  const checks = new Lru<string, RowCheck>(PLANS_PER_RESOURCE);
  const misses = new Lru<string, true>(PLANS_PER_RESOURCE);
  const rolesOf = (input: EvaluateInput): string[] | null => {
    const out: string[] = [];
    for (let i = 0; i < input.roles.length; i++) {
      const role: unknown = input.roles[i];
      if (typeof role !== "string") return null;
      out.push(role);
    }
    return out;
  };
  const valuesOf = (input: EvaluateInput): unknown[] | null => {
    const out: unknown[] = [];
    for (const segments of paths) {
      const value = resolvePath(input.context, segments);
      if (!isPlain(value)) return null;
      out.push(value);
    }
    return out;
  };
  const keyFrom = (action: string, roles: readonly string[], values: readonly unknown[]): string => {
    let key = token(action) + roles.length + ";";
    for (const role of roles) key += token(role);
    for (const value of values) key += token(value);
    return key;
  };
  const keyOf = (input: EvaluateInput): string | null => {
    const roles = rolesOf(input);
    const values = roles && valuesOf(input);
    return roles && values ? keyFrom(input.action, roles, values) : null;
  };
  // When conditions read only the caller, a frozen identity (what a token
  // cache hands every request of one token) always makes the same key.
  const readsCallerOnly = paths.every((segments) => segments[0] === "user" || segments[0] === "identity");
  const byIdentity = new WeakMap<object, Map<string, string | null> | false>();
  return {
    readsArgs: paths.some((segments) => segments[0] === "args"),
    keyOf(input) {
      const identity = readsCallerOnly ? callerOf(input) : null;
      if (identity === null) return keyOf(input);
      let perAction = byIdentity.get(identity);
      if (perAction === false) return keyOf(input);
      const known = perAction?.get(input.action);
      if (known !== undefined) return known;
      if (!perAction) {
        // Checked once per identity: frozen data stays as it is.
        if (!paths.every((segments) => fixedAlong(identity, segments))) {
          byIdentity.set(identity, false);
          return keyOf(input);
        }
        byIdentity.set(identity, (perAction = new Map()));
      }
      const key = keyOf(input);
      perAction.set(input.action, key);
      return key;
    },
    get: (key) => checks.get(key),
    missed(key) {
      if (misses.get(key)) return true;
      misses.set(key, true);
      return false;
    },
    plan(key, input, planner) {
      const roles = rolesOf(input);
      const values = roles && valuesOf(input);
      // The context changed since the key was made (a getter, say): plan for this request alone.
      if (!roles || !values || keyFrom(input.action, roles, values) !== key) return null;
      // Null-prototype objects: a path segment is data, never an inherited member.
      const context = Object.create(null) as Record<string, unknown>;
      paths.forEach((segments, i) => {
        if (values[i] !== undefined) place(context, segments, values[i]);
      });
      const check = planner({ resource: input.resource, action: input.action, roles, context });
      checks.set(key, check);
      return check;
    },
  };
}
