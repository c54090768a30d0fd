/**
 * Subscriptions that stop: a stream is re-judged whenever the subscriber's
 * access may have changed, and ends with an error once it lost access.
 * @module
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the context type is the application's */
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from "graphql";
import { isGatehouseError } from "../core/index.js";
import { toGraphQLError } from "./errors.js";
import type { PromiseOrValue } from "./types.js";

/**
 * How long-lived subscriptions learn that their subscriber's access changed, and how
 * they rebuild the context. Without it, a stream is judged once, when it starts.
 */
export interface SubscriptionGuardOptions<TContext = any> {
  /**
   * Starts watching for changes that may alter the access of the subscriber of `context`
   * (role change, revoked session or key) and calls `changed` for each; returns a function that
   * stops watching. Called once per subscription, before its root field is judged.
   * With the store: `(ctx, changed) => watchIdentity(store, ctx.security.identity, changed)`.
   */
  watch(context: TContext, changed: () => void): (() => void) | void;
  /**
   * Builds the context to judge and run every later event with: typically the same request
   * authenticated again. Throwing ends the stream with that error (a gatehouse error keeps its
   * code, e.g. `INVALID_CREDENTIALS` for a revoked token; anything else is masked). Return the same
   * object with its `security` replaced if your `subscribe` resolver reads the context later (to
   * filter events, say): it then sees the new identity too.
   */
  refresh(context: TContext): PromiseOrValue<TContext>;
  /** Told about an unexpected error from `refresh`, before the stream ends masked. @default none */
  onError?(error: unknown): void;
}

/** @internal */
export interface SubscribeSteps {
  /** The guard, or `null` to judge once at the start. */
  readonly guard: SubscriptionGuardOptions | null;
  /** Judges the root fields with `args.contextValue`: the denial result, or `null` when allowed. */
  judge(args: ExecutionArgs): Promise<ExecutionResult | null>;
  /** Opens the source event stream (graphql-js `createSourceEventStream`). */
  source(args: ExecutionArgs): PromiseOrValue<AsyncIterable<unknown> | ExecutionResult>;
  /** Runs one event through authorized execution. */
  run(args: ExecutionArgs, payload: unknown): PromiseOrValue<ExecutionResult>;
}

/**
 * Checks `subscriptions` given to `createAuthz`.
 * @throws TypeError when it is not `{ watch, refresh }` functions.
 * @internal
 */
export function resolveSubscriptionGuard(value: unknown): SubscriptionGuardOptions | null {
  if (value === undefined) return null;
  const v = value as Partial<SubscriptionGuardOptions> | null;
  if (typeof v !== "object" || v === null || typeof v.watch !== "function" || typeof v.refresh !== "function") {
    throw new TypeError("createAuthz: `subscriptions` must be { watch(context, changed), refresh(context) }.");
  }
  if (v.onError !== undefined && typeof v.onError !== "function") throw new TypeError("createAuthz: `subscriptions.onError` must be a function.");
  return Object.freeze({ watch: v.watch, refresh: v.refresh, onError: v.onError });
}

/**
 * `authz.subscribe`: judges the root field, opens the source stream and runs each event
 * through authorized execution; with a guard, re-judges on every change. @internal
 */
export async function subscribeWithGuard(args: ExecutionArgs, steps: SubscribeSteps): Promise<AsyncGenerator<ExecutionResult, void, void> | ExecutionResult> {
  const state: { changed: boolean; signal: () => void } = { changed: false, signal: () => undefined };
  // Watching starts before the first judgement, so a change in between is not missed.
  const stop = steps.guard ? (steps.guard.watch(args.contextValue, () => {
    state.changed = true;
    state.signal();
  }) ?? undefined) : undefined;
  try {
    const denied = await steps.judge(args);
    if (denied) {
      stop?.();
      return denied;
    }
    const stream = await steps.source(args);
    if (!isAsyncIterable(stream)) {
      stop?.();
      return stream;
    }
    return new GuardedStream(args, stream[Symbol.asyncIterator](), steps, state, stop);
  } catch (error) {
    stop?.();
    throw error;
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === "function";
}

const DONE: IteratorReturnResult<void> = Object.freeze({ done: true, value: undefined });

/**
 * The event stream. Hand-written rather than an async generator function so that `return()`
 * (the client went away) takes effect at once instead of waiting for the next event, and a
 * change can end a stream that has no events coming.
 */
class GuardedStream implements AsyncGenerator<ExecutionResult, void, void> {
  private closed = false;
  /** The source's `next()` in flight, kept across wake-ups so no event is lost. */
  private pending: Promise<IteratorResult<unknown>> | undefined;
  /** Serialises `next()` calls: each step sees the state the previous one left. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private args: ExecutionArgs,
    private readonly source: AsyncIterator<unknown>,
    private readonly steps: SubscribeSteps,
    private readonly state: { changed: boolean; signal: () => void },
    private readonly stop: (() => void) | undefined,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ExecutionResult, void>> {
    const step = this.tail.then(() => this.step());
    this.tail = step.catch(() => undefined);
    return step;
  }

  async return(): Promise<IteratorResult<ExecutionResult, void>> {
    this.finish();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult, void>> {
    this.finish();
    throw error;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop?.();
    this.state.signal(); // wakes a step waiting for the source
    // Not awaited: an async generator source answers `return` only after its pending `next`.
    this.source.return?.()?.catch?.(() => undefined);
  }

  private async step(): Promise<IteratorResult<ExecutionResult, void>> {
    try {
      return await this.advance();
    } catch (error) {
      this.finish();
      throw error;
    }
  }

  private async advance(): Promise<IteratorResult<ExecutionResult, void>> {
    for (;;) {
      if (this.closed) return DONE;
      if (this.state.changed) {
        const end = await this.rejudge();
        if (end) return this.end(end);
        continue;
      }
      this.pending ??= this.source.next();
      const woken = new Promise<null>((resolve) => (this.state.signal = () => resolve(null)));
      const got = await Promise.race([this.pending, woken]);
      this.state.signal = () => undefined;
      if (got === null) continue; // a change or a close: handled at the top
      this.pending = undefined;
      if (got.done) {
        this.finish();
        return DONE;
      }
      return this.deliver(got.value);
    }
  }

  /** Runs the event with the current context; re-runs it when access changed meanwhile. */
  private async deliver(payload: unknown): Promise<IteratorResult<ExecutionResult, void>> {
    for (;;) {
      if (this.state.changed) {
        const end = await this.rejudge();
        if (end) return this.end(end);
      }
      const result = await this.steps.run(this.args, payload);
      if (this.closed) return DONE;
      // A change heard while it ran: never hand over what the old access produced.
      if (!this.state.changed) return { done: false, value: result };
    }
  }

  /** Rebuilds the context and judges the root field again: the result that ends the stream, or `null`. */
  private async rejudge(): Promise<ExecutionResult | null> {
    this.state.changed = false;
    const guard = this.steps.guard!;
    let context: unknown;
    try {
      context = await guard.refresh(this.args.contextValue);
    } catch (error) {
      if (isGatehouseError(error)) return { errors: [toGraphQLError(error)] };
      guard.onError?.(error);
      // Fail closed: access that cannot be re-checked is not assumed to still hold.
      return { errors: [new GraphQLError("Access could not be re-checked.", { extensions: { code: "INTERNAL_SERVER_ERROR" } })] };
    }
    const args = { ...this.args, contextValue: context };
    const denied = await this.steps.judge(args);
    if (denied) return denied;
    this.args = args;
    return null;
  }

  private end(result: ExecutionResult): IteratorResult<ExecutionResult, void> {
    this.finish();
    return { done: false, value: result };
  }
}
