/**
 * `rateLimit`: a pre-execution rule that counts calls per caller over a
 * shared counter store, in several windows at once.
 * @module
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the context type is the application's */
import { RateLimitedError, type CounterStore } from "../core/index.js";
import { preExecRule } from "./rules.js";
import type { Rule, RuleInfo } from "./types.js";

/** One window: at most `limit` calls per `windowMs`. */
export interface RateLimitWindow {
  /** Calls allowed per window. */
  limit: number;
  /** Window length in milliseconds; whole seconds (the counter stores count in seconds). */
  windowMs: number;
}

/** Options of {@link rateLimit}. */
export interface RateLimitOptions<TContext = any> {
  /** Every window must allow the call, e.g. `[{ limit: 10, windowMs: 1000 }, { limit: 500, windowMs: 3_600_000 }]`. */
  windows: readonly RateLimitWindow[];
  /** Where counts live: `memoryCounterStore()` (one process) or `redisCounterStore(redis)` (every node). */
  store: CounterStore;
  /**
   * What is counted: `"field"`, each field the rule guards (per distinct arguments in a request);
   * `"operation"`, each request once, however many fields it guards (a budget of requests).
   * @default "field"
   */
  per?: "field" | "operation";
  /**
   * Who is counted. Return `null` to not limit this call (e.g. an internal client).
   * @default identity id when signed in; else `clientAddress(context)`; else one bucket shared by every anonymous caller without an address
   */
  key?: (context: TContext, info: RuleInfo) => string | null;
  /**
   * The client address of an anonymous caller, for the default `key`. Trust a forwarded
   * header only when your proxy sets it.
   * @default context.req?.socket?.remoteAddress (Node servers); none for Fetch requests
   */
  clientAddress?: (context: TContext) => string | undefined;
  /**
   * When the counter store fails: `"deny"` answers `RATE_LIMITED` (fail closed), `"allow"` lets
   * the call through uncounted (keeps the API up while the store is down).
   * @default "deny"
   */
  whenStoreFails?: "deny" | "allow";
  /** Told about each counter store failure (log it). @default none */
  onStoreError?: (error: unknown) => void;
  /** Prepended to counter keys; give each limit its own so two limits never share counts. @default "gql:" */
  prefix?: string;
  /** Name in audit events. @default "rateLimit" */
  name?: string;
}

interface Window {
  limit: number;
  sec: number;
}

function checkWindows(value: unknown): Window[] {
  if (!Array.isArray(value) || value.length === 0) throw new TypeError("rateLimit: `windows` must be a non-empty array of { limit, windowMs }.");
  return value.map((w: Partial<RateLimitWindow> | null, i) => {
    const limit = w?.limit;
    const ms = w?.windowMs;
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) throw new TypeError(`rateLimit: windows[${i}].limit must be a positive integer.`);
    if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 1000 || ms % 1000 !== 0) {
      throw new TypeError(`rateLimit: windows[${i}].windowMs must be a whole number of seconds in ms (1000, 60_000, ...).`);
    }
    return { limit, sec: ms / 1000 };
  });
}

function defaultAddress(context: any): string | undefined {
  const address: unknown = context?.req?.socket?.remoteAddress;
  return typeof address === "string" && address !== "" ? address : undefined;
}

/** Stable text of field arguments, so the same call counts once per request. */
function argsKey(args: unknown): string {
  return JSON.stringify(args, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/**
 * A rule that limits how often a caller may use a field or an operation: every window counts
 * the call, and when any is over its limit the field is denied with `RATE_LIMITED` and
 * `extensions.retryAfter` (seconds, an upper bound: the longest exceeded window). Counts live in
 * `store`, so with `redisCounterStore` the limit holds across every node.
 * @throws TypeError at construction for invalid options.
 * @example
 * const counters = redisCounterStore(new Redis(process.env.REDIS_URL));
 * createAuthz({ schema, rules: {
 *   Search: rateLimit({ windows: [{ limit: 10, windowMs: 1000 }, { limit: 500, windowMs: 3_600_000 }], store: counters }),
 * }, authSchema: { Query: { search: { __authz: { rules: ["Search"] } } } } });
 */
export function rateLimit<TContext = any>(options: RateLimitOptions<TContext>): Rule {
  if (!options || typeof options !== "object") throw new TypeError("rateLimit: options must be an object.");
  const windows = checkWindows(options.windows);
  const store = options.store;
  if (!store || typeof store.increment !== "function") throw new TypeError("rateLimit: `store` must be a CounterStore (memoryCounterStore(), redisCounterStore(redis)).");
  const per = options.per ?? "field";
  if (per !== "field" && per !== "operation") throw new TypeError('rateLimit: `per` must be "field" or "operation".');
  const whenStoreFails = options.whenStoreFails ?? "deny";
  if (whenStoreFails !== "deny" && whenStoreFails !== "allow") throw new TypeError('rateLimit: `whenStoreFails` must be "deny" or "allow".');
  for (const name of ["key", "clientAddress", "onStoreError"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") throw new TypeError(`rateLimit: \`${name}\` must be a function.`);
  }
  const prefix = options.prefix ?? "gql:";
  if (typeof prefix !== "string") throw new TypeError("rateLimit: `prefix` must be a string.");
  const clientAddress = options.clientAddress ?? defaultAddress;
  const key =
    options.key ??
    ((context: TContext, info: RuleInfo) => {
      const identity = info.security.identity;
      if (identity) return `id:${identity.id}`;
      const address = clientAddress(context);
      return address ? `ip:${address}` : "anonymous";
    });
  // One count per (caller, field, args) or (caller, operation) per request: pre rules may be
  // asked more than once for one request, and that must not cost the caller twice.
  const counted = new WeakMap<object, Map<string, Promise<boolean | RateLimitedError>>>();

  async function hit(bucket: string): Promise<boolean | RateLimitedError> {
    let counts: number[];
    try {
      counts = await Promise.all(windows.map((w) => store.increment(`${prefix}${bucket}|${w.sec}s`, w.sec)));
    } catch (error) {
      options.onStoreError?.(error);
      if (whenStoreFails === "allow") return true;
      return new RateLimitedError("Too many requests.", Math.min(...windows.map((w) => w.sec)));
    }
    let retryAfter = 0;
    windows.forEach((w, i) => {
      if (counts[i]! > w.limit) retryAfter = Math.max(retryAfter, w.sec);
    });
    return retryAfter === 0 ? true : new RateLimitedError("Too many requests.", retryAfter);
  }

  return preExecRule({ name: options.name ?? "rateLimit", cache: false })((context: TContext, args: Record<string, unknown>, info: RuleInfo) => {
    const who = key(context, info);
    if (who === null) return true;
    if (typeof who !== "string" || who === "") throw new TypeError("rateLimit: `key` must return a non-empty string or null.");
    // Operation names are the client's choice: never part of a bucket, or renaming would reset it.
    const bucket = per === "field" ? `${who}|${info.coordinate}` : `${who}|operation`;
    const what = per === "field" ? `${info.coordinate}(${argsKey(args ?? {})})` : "operation";
    if (typeof context !== "object" || context === null) return hit(bucket);
    let seen = counted.get(context);
    if (!seen) counted.set(context, (seen = new Map()));
    const dedupe = `${who}|${what}`;
    let result = seen.get(dedupe);
    if (!result) seen.set(dedupe, (result = hit(bucket)));
    return result;
  });
}
