/**
 * Runs one operation with its `@policy` batch open, so the policy resolver
 * is asked once with every policy name the operation's plan touches.
 * @module
 */
import type { ExecutionArgs, OperationDefinitionNode } from "graphql";
import { isPromise } from "../evaluate.js";
import type { Plan } from "../plan.js";
import type { Runtime } from "../request.js";
import type { PromiseOrValue } from "../types.js";
import { openPolicyBatch, policyNamesIn } from "./apollo.js";

const namesByPlan = new WeakMap<Plan, ReadonlySet<string>>();

/** Every policy name a plan (and its fully injected variant) may evaluate. */
function planPolicyNames(plan: Plan): ReadonlySet<string> {
  let names = namesByPlan.get(plan);
  if (!names) {
    const out = new Set<string>();
    for (const p of [plan, plan.fallback]) {
      for (const f of p?.all ?? []) for (const r of [...f.rules.pre, ...f.rules.post]) policyNamesIn(r.rule, out);
    }
    namesByPlan.set(plan, (names = out));
  }
  return names;
}

/** `run()` with the operation's policy batch open until it settles. @internal */
export function withPolicyBatch<T>(rt: Runtime, args: ExecutionArgs, run: () => PromiseOrValue<T>): PromiseOrValue<T> {
  const plan = args.schema === undefined || args.schema === rt.opts.schema ? rt.plans.get(args.document, args.operationName) : null;
  if (!plan) return run();
  const names = planPolicyNames(plan);
  const operations: OperationDefinitionNode[] = [plan.operation];
  if (plan.fallback) operations.push(plan.fallback.operation);
  const close = openPolicyBatch(args.contextValue, operations, names);
  let result: PromiseOrValue<T>;
  try {
    result = run();
  } catch (error) {
    close();
    throw error;
  }
  if (isPromise(result)) return result.finally(close);
  close();
  return result;
}
