/**
 * GraphQL AuthZ's rule classes, so rules written as
 * `class IsAdmin extends PreExecutionRule { execute(ctx) { ... } }` port by
 * renaming the import. The classes only describe a rule; `createAuthz`
 * (and `and`/`or`/`not`) turn a class or an instance into a gatehouse rule.
 * @module
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- rule bodies keep GraphQL AuthZ's loose positional types */
import type { PromiseOrValue, RuleInfo } from "../types.js";

/**
 * The denial a class rule throws (`throw this.error`). Its message is sent
 * to the client with code `FORBIDDEN`; any other thrown error denies with
 * the generic message and is never sent.
 */
export class UnauthorizedError extends Error {
  constructor(message = "Unauthorized!") {
    super(message);
    this.name = "UnauthorizedError";
  }
}

/** What GraphQL AuthZ hands a rule's constructor; gatehouse passes `{ fieldArgs: {} }` (the arguments arrive in `execute`). */
export interface RuleConfig {
  readonly fieldArgs: Record<string, unknown>;
}

/** What a class rule's `execute` may return: `false` (or a throw) denies; anything else allows, as in GraphQL AuthZ. */
export type ClassRuleResult = PromiseOrValue<boolean | void>;

abstract class ExecutableRuleBase {
  /** Sent when the rule denies. @default new UnauthorizedError() */
  error: UnauthorizedError | Error | string = new UnauthorizedError();
  /** Sent when the rule allows inside `not(...)`. @default new UnauthorizedError() */
  notError: UnauthorizedError | Error | string = new UnauthorizedError();
  readonly config: RuleConfig;
  constructor(config: RuleConfig = { fieldArgs: {} }) {
    this.config = config;
  }
}

/**
 * A rule decided before execution.
 * @example
 * class IsAdmin extends PreExecutionRule {
 *   execute(context: Ctx) {
 *     if (context.user?.role !== "admin") throw this.error;
 *   }
 * }
 */
export abstract class PreExecutionRule extends ExecutableRuleBase {
  abstract execute(context: any, fieldArgs: any, info: RuleInfo): ClassRuleResult;
}

/**
 * A rule decided on the result: `value` is the field's value, `parent` the
 * parent object with the fields of `selectionSet` filled in.
 * @example
 * class CanReadBody extends PostExecutionRule {
 *   selectionSet = "{ status }";
 *   execute(context: Ctx, args: unknown, body: string, post: { status: string }) {
 *     return post.status === "public";
 *   }
 * }
 */
export abstract class PostExecutionRule extends ExecutableRuleBase {
  /** Fields of the parent type fetched for the rule, inline fragments allowed. @default none */
  selectionSet?: string;
  abstract execute(context: any, fieldArgs: any, value: any, parent: any, info: RuleInfo): ClassRuleResult;
}

abstract class CompositeRuleBase {
  readonly config: RuleConfig;
  constructor(config: RuleConfig = { fieldArgs: {} }) {
    this.config = config;
  }
  /** The rules composed: classes, instances or gatehouse rules. */
  abstract getRules(): readonly unknown[];
}

/** Allows when every rule of `getRules()` allows. */
export abstract class AndRule extends CompositeRuleBase {}
/** Allows when some rule of `getRules()` allows. */
export abstract class OrRule extends CompositeRuleBase {}
/** Allows only when every rule of `getRules()` denies (a rule that throws still denies). */
export abstract class NotRule extends CompositeRuleBase {}

/** @internal */
export { ExecutableRuleBase, CompositeRuleBase };
