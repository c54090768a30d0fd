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

/** Remembered row checks for one resource's policies. @internal */
export interface PolicyPlans {
  /** The remembered check for this input, or `undefined`; `null` when this input cannot be remembered. */
  lookup(input: EvaluateInput): { key: string; input: EvaluateInput; check: RowCheck | undefined } | null;
  remember(key: string, check: RowCheck): void;
}

/** @internal */
export function policyPlans(engine: PolicyEngine): PolicyPlans | null {
  const paths = contextPathsOf(engine);
  if (paths === null) return null;
  const checks = new Lru<string, RowCheck>(PLANS_PER_RESOURCE);
  return {
    lookup(input) {
      const roles = input.roles;
      const parts: unknown[] = [input.action];
      const snapshotRoles: string[] = [];
      for (let i = 0; i < roles.length; i++) {
        const role: unknown = roles[i];
        if (typeof role !== "string") return null;
        snapshotRoles.push(role);
      }
      parts.push(snapshotRoles);
      // Null-prototype objects: a path segment is data, never an inherited member.
      const context = Object.create(null) as Record<string, unknown>;
      for (const segments of paths) {
        const value = resolvePath(input.context, segments);
        if (!isPlain(value)) return null;
        // `undefined` is kept apart from null in the key, and left out of the snapshot.
        parts.push(value === undefined ? { missing: true } : value);
        if (value !== undefined) place(context, segments, value);
      }
      const key = JSON.stringify(parts);
      return { key, input: { resource: input.resource, action: input.action, roles: snapshotRoles, context }, check: checks.get(key) };
    },
    remember(key, check) {
      checks.set(key, check);
    },
  };
}
