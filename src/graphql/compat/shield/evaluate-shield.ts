/**
 * Evaluates a shield-shaped rule tree on a resolver's arguments, with
 * graphql-shield's combinator semantics and per-request caching. A rule
 * that throws denies, inside `not` too (graphql-shield lets `not` allow
 * then; gatehouse fails closed).
 * @module
 */
import type { GraphQLResolveInfo } from "graphql";
import type { ShieldRule } from "./constructors.js";

/** The outcome of a node: allowed, denied (with an optional message or error), or broken. */
export type Outcome = true | { readonly denied: string | Error | undefined } | { readonly threw: true };

const DENIED: Outcome = Object.freeze({ denied: undefined });
const THREW: Outcome = Object.freeze({ threw: true as const });

interface Call {
  readonly parent: unknown;
  readonly args: Record<string, unknown>;
  readonly context: unknown;
  readonly info: GraphQLResolveInfo;
  readonly cache: Map<unknown, unknown>;
}

function outcomeOf(result: unknown): Outcome {
  if (result === true) return true;
  if (typeof result === "string" || result instanceof Error) return { denied: result };
  return DENIED;
}

function argsKey(args: Record<string, unknown>): string {
  try {
    return JSON.stringify(args);
  } catch {
    return "\u0000uncacheable";
  }
}

async function leaf(node: Extract<ShieldRule, { kind: "rule" }>, call: Call): Promise<Outcome> {
  const invoke = async (): Promise<Outcome> => {
    try {
      return outcomeOf(await node.fn(call.parent, call.args, call.context, call.info));
    } catch {
      return THREW;
    }
  };
  if (node.cache === "no_cache") return invoke();
  // Keys live in the request's cache map: one entry per rule, then per source object and args for "strict".
  let perRule = call.cache.get(node) as Map<unknown, unknown> | undefined;
  if (!perRule) call.cache.set(node, (perRule = new Map()));
  if (node.cache === "contextual") {
    let hit = perRule.get("") as Promise<Outcome> | undefined;
    if (!hit) perRule.set("", (hit = invoke()));
    return hit;
  }
  const parentKey = typeof call.parent === "object" && call.parent !== null ? call.parent : String(call.parent);
  let byArgs = perRule.get(parentKey) as Map<string, Promise<Outcome>> | undefined;
  if (!byArgs) perRule.set(parentKey, (byArgs = new Map()));
  const key = argsKey(call.args);
  let hit = byArgs.get(key);
  if (!hit) byArgs.set(key, (hit = invoke()));
  return hit;
}

const firstFailure = (outcomes: readonly Outcome[]): Outcome => outcomes.find((o) => o !== true) ?? true;
/** When nothing allowed: the first custom error, as graphql-shield reports it; a throw stays a throw. */
const noSuccess = (outcomes: readonly Outcome[]): Outcome =>
  outcomes.find((o) => o !== true && "denied" in o && o.denied !== undefined) ?? outcomes.find((o) => o !== true && "threw" in o) ?? DENIED;

/** Evaluates `node` for one resolver call. @internal */
export async function evaluateShield(node: ShieldRule, call: Call): Promise<Outcome> {
  switch (node.kind) {
    case "allow":
      return true;
    case "deny":
      return DENIED;
    case "rule":
      return leaf(node, call);
    case "and":
      return firstFailure(await Promise.all(node.rules.map((r) => evaluateShield(r, call))));
    case "or": {
      const outcomes = await Promise.all(node.rules.map((r) => evaluateShield(r, call)));
      return outcomes.some((o) => o === true) ? true : noSuccess(outcomes);
    }
    case "chain":
      for (const r of node.rules) {
        const o = await evaluateShield(r, call);
        if (o !== true) return o;
      }
      return true;
    case "race": {
      const seen: Outcome[] = [];
      for (const r of node.rules) {
        const o = await evaluateShield(r, call);
        if (o === true) return true;
        seen.push(o);
      }
      return noSuccess(seen);
    }
    case "not": {
      const o = await evaluateShield(node.rule, call);
      if (o === true) return { denied: node.error };
      return "threw" in o ? o : true;
    }
  }
}
