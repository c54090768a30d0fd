/**
 * Public types of `gatehouse/graphql`.
 * @module
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- rule bodies keep GraphQL AuthZ's loose positional types so its rules port unchanged */
import type {
  ExecutionArgs,
  ExecutionResult,
  FieldNode,
  GraphQLResolveInfo,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionNode,
} from "graphql";
import type { AuditLoggerLike, AuditSink } from "../audit/types.js";
import type { Identity, SecurityContext } from "../core/index.js";
import type { Verdict } from "./evaluate.js";
import type { AuthzConfig } from "./compat/authz-config.js";
import type { RuleInput } from "./compat/rule-like.js";
import type { SubscriptionGuardOptions } from "./subscription-guard.js";
import type { QueryCompiler } from "./compiled.js";

/** A value or a promise of it; gatehouse only awaits when something really is a promise. */
export type PromiseOrValue<T> = T | Promise<T>;

/** What a rule returns: `true` allows, `false` denies with the default error, an `Error` denies with its message. */
export type RuleResult = boolean | Error;

/** Where a rule is being applied. Carries no argument values beyond what the rule is handed. */
export interface RuleInfo {
  /** Schema coordinate, e.g. `User.email`. */
  readonly coordinate: string;
  readonly parentTypeName: string;
  readonly fieldName: string;
  /**
   * Response path. A pre-execution rule runs once per distinct (rule, args),
   * or (rule, coordinate, args) when it takes `info`, so its path is the first
   * occurrence, without list indices.
   */
  readonly path: readonly (string | number)[];
  /** The request's security context (anonymous when the GraphQL context has none). */
  readonly security: SecurityContext;
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  readonly fieldNodes: readonly FieldNode[];
  readonly variableValues: Readonly<Record<string, unknown>>;
}

/** Body of a pre-execution rule: `(context, fieldArgs, info)`. */
export type PreExecRuleFn<TContext = any> = (
  context: TContext,
  fieldArgs: Record<string, any>,
  info: RuleInfo,
) => PromiseOrValue<RuleResult>;

/** Body of a post-execution rule: `(context, fieldArgs, value, parent, info)`. */
export type PostExecRuleFn<TContext = any> = (
  context: TContext,
  fieldArgs: Record<string, any>,
  value: any,
  parent: any,
  info: RuleInfo,
) => PromiseOrValue<RuleResult>;

/**
 * Body of a batched post-execution rule: every row of one field in one call,
 * `values[i]` and `parents[i]` being one row; returns one result per row.
 * A wrong-length or non-array answer, or a throw, denies every row.
 */
export type BatchPostExecRuleFn<TContext = any> = (
  context: TContext,
  fieldArgs: Record<string, any>,
  values: any[],
  parents: any[],
  info: RuleInfo,
) => PromiseOrValue<ReadonlyArray<RuleResult>>;

/** Cross-request caching of a pre-execution rule. */
export type RuleCache = false | "request" | { ttlMs: number };

/** @internal discriminated rule shapes; users build them with the factories. */
export type Rule = PreRule | PostRule | CompositeRule | ConstRule | PolicyRule | SourceRule;

interface RuleBase {
  /** Name used in audit events when the rule is not registered under a key. */
  readonly name: string;
  readonly error?: string | Error;
  /** Sent when the rule allows inside `not(...)` (GraphQL AuthZ's `notError`). */
  readonly notError?: string | Error;
}
/** @internal */
export interface PreRule extends RuleBase {
  readonly kind: "pre";
  readonly fn: PreExecRuleFn;
  readonly cache: RuleCache;
  /**
   * The function takes `info` (declares three parameters), so its verdict may
   * depend on the field: it is cached per field coordinate, never reused for
   * another field of the same request.
   */
  readonly perField?: boolean;
}
/** @internal */
export interface PostRule extends RuleBase {
  readonly kind: "post";
  /** With `batch`, a {@link BatchPostExecRuleFn}. */
  readonly fn: PostExecRuleFn;
  /** The parsed `selectionSet` option, relative to the field's parent type (fields and inline fragments). */
  readonly selections: readonly SelectionNode[];
  /** One call per field per operation with every row, instead of one per row. */
  readonly batch: boolean;
  /** Internal rules (policies that read the object) decide one row with a full verdict. */
  readonly judge?: (context: unknown, fieldArgs: Record<string, unknown>, value: unknown, parent: unknown, info: RuleInfo) => Verdict;
  /**
   * Internal rules: what `judge` does, prepared once per field per request
   * (`info` without a row path); the result judges each row of that field.
   * The walk uses it where present, `judge` otherwise.
   */
  readonly prepare?: (context: unknown, fieldArgs: Record<string, unknown>, info: RuleInfo, scope: JudgeScope) => RowJudge;
  /**
   * Internal rules: true when, for this request, `prepare` would allow every
   * row whatever it holds (a policy whose remembered row check selects all
   * rows, e.g. for a role allowed without conditions). The walk then need
   * not visit the rows at all.
   */
  readonly allowsEveryRow?: (context: unknown, fieldArgs: Record<string, unknown>, info: RuleInfo, scope: JudgeScope) => boolean;
}
/** Judges one row of a field for one request (see `PostRule.prepare`). @internal */
export type RowJudge = (parent: unknown, info: RuleInfo) => Verdict;
/** Per-request state an internal rule may use. @internal */
export interface JudgeScope {
  /** What the rule compiles once per request. */
  readonly memo: Map<unknown, unknown>;
  /** Denials are audited: say which policy denied, at extra cost. */
  readonly explain: boolean;
}
/** @internal */
export interface CompositeRule extends RuleBase {
  readonly kind: "and" | "or" | "not";
  readonly rules: readonly Rule[];
}
/** @internal */
export interface ConstRule extends RuleBase {
  readonly kind: "allow" | "deny";
}
/** @internal */
export interface PolicyRule extends RuleBase {
  readonly kind: "policy";
}
/**
 * A rule judged inside the field's resolver, on the resolver's own
 * `(source, args, context, info)`: rules ported from graphql-shield.
 * Operations that reach one always run on the gated schema.
 * @internal
 */
export interface SourceRule extends RuleBase {
  readonly kind: "source";
  readonly judge: (source: unknown, args: Record<string, unknown>, context: unknown, info: GraphQLResolveInfo, cache: Map<unknown, unknown>) => PromiseOrValue<RuleResult>;
}

/** `{ __authz: { rules: ["IsAdmin"], compositeRules: [{ or: ["A", "B"] }] } }` */
export interface AuthzRulesEntry {
  __authz?: AuthzConfig;
}
/** `{ Type: { __authz, field: { __authz } }, "*": { __authz, "*": { __authz } } }`; entries for types not in the schema are reported by `coverage()`. */
export type AuthSchema = Record<string, AuthzRulesEntry & Record<string, AuthzRulesEntry | AuthzConfig | undefined>>;

/** Options of {@link createAuthz}. */
export interface AuthzOptions {
  /** Executable schema; `@authz`, `@public`, `@requireAuth` and `@skipAuth` in its AST are read. */
  schema: GraphQLSchema;
  /**
   * Named rules that `authSchema` and directives refer to: gatehouse rules,
   * or GraphQL AuthZ-style rule classes (the class or an instance).
   * @default {}
   */
  rules?: Record<string, RuleInput>;
  /**
   * Rules attached as JSON, GraphQL AuthZ style, with `"*"` wildcards.
   * @default {}
   */
  authSchema?: AuthSchema;
  /**
   * PBAC policies (array, `{ policies }` file or a `PolicyEngine`). Resource
   * `Type::field`, action = operation type. Any field a policy resource
   * matches gets an implicit `policy()` rule.
   * @default none
   */
  policies?: unknown;
  /**
   * `"null"`: a denied field is null with an error at its path.
   * `"reject"`: any denial fails the whole operation with errors and no data.
   * @default "null"
   */
  onDenied?: "null" | "reject";
  /**
   * `"audit"` denies nothing and reports every would-be denial (dry run).
   * @default "enforce"
   */
  mode?: "enforce" | "audit";
  /**
   * Who may use `__schema` / `__type`: everyone, signed-in callers, nobody, or a rule name.
   * @default "allow"
   */
  introspection?: "allow" | "authenticated" | "deny" | (string & {});
  /**
   * Decision log: a function or a pino-style logger (deny → `warn`, allow → `info`).
   * @default none
   */
  audit?: AuditSink | AuditLoggerLike;
  /**
   * Also log allowed decisions.
   * @default false
   */
  auditAllows?: boolean;
  /**
   * How many compiled operation plans to keep (LRU).
   * @default 1000
   */
  planCacheSize?: number;
  /**
   * Opt-in compiled execution: a query compiler such as graphql-jit's
   * `compileQuery`. Each cached plan is compiled once and runs as compiled
   * code when nothing was denied before execution; post rules judge its
   * result as they judge graphql-js's. The compiler's semantics are its own
   * (test your operations with it); it is never a dependency of gatehouse.
   * @default none (graphql-js `execute`)
   */
  compile?: QueryCompiler;
  /**
   * Throw `UncoveredSchemaError` at construction when some reachable field has no rule.
   * @default false
   */
  requireFullCoverage?: boolean;
  /**
   * Finds the request's security context in the GraphQL context.
   * @default (ctx) => ctx?.security
   */
  getSecurity?: (contextValue: any) => SecurityContext | undefined;
  /**
   * Decides the names of `@policy(policies: [["a", "b"], ["c"]])` (Apollo
   * Router's directive): called at most once per operation with every policy
   * name the operation touches. A name missing from the answer, or a throw,
   * denies the fields that need it.
   * @default none (fields carrying `@policy` are denied)
   */
  policyResolver?: (names: Set<string>, context: any) => PromiseOrValue<ReadonlyMap<string, boolean>>;
  /**
   * Clock for `cache: { ttlMs }` rules, in milliseconds.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Re-judges running subscriptions when the subscriber's access may have changed: the context is
   * rebuilt, the root field judged again, and a stream that lost access ends with an error.
   * @default none (a subscription is judged once, when it starts)
   */
  subscriptions?: SubscriptionGuardOptions;
}

/** One row of {@link AccessMatrix}. */
export interface AccessMatrixRow {
  coordinate: string;
  cells: Array<"allow" | "deny" | "depends">;
}

/** Who may reach which field, for docs and the CLI. */
export interface AccessMatrix {
  subjects: string[];
  rows: AccessMatrixRow[];
}

/** An executor with graphql-js `execute`'s contract, e.g. the one a GraphQL server runs. */
export type Executor = (args: ExecutionArgs) => PromiseOrValue<ExecutionResult>;

/** What {@link createAuthz} returns. */
export interface Authz {
  /**
   * Drop-in replacement for graphql-js `execute`. `executor`: the server's
   * own executor (same contract as graphql-js `execute`, e.g. the one Envelop
   * hands to `onExecute`), used when nothing was denied before execution;
   * documents with `@defer`/`@stream` and requests with denials run on graphql-js.
   */
  execute(args: ExecutionArgs, executor?: Executor): PromiseOrValue<ExecutionResult>;
  /** Drop-in replacement for graphql-js `subscribe`; every event is checked like a query. */
  subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult, void, void> | ExecutionResult>;
  /**
   * Reachable `Type.field` coordinates no rule covers, sorted; and, when
   * there are some, `authSchema` type names the schema does not have.
   */
  coverage(): { uncovered: string[]; unknownTypes?: string[] };
  /**
   * Who may reach which field: evaluates the data-free rules of every reachable field for each
   * subject (args `{}`). Subjects are `{ name, security }`, identities (with an optional
   * `permissions` array) or `null` for anonymous. Synchronous unless some rule is async.
   */
  matrix(subjects: ReadonlyArray<{ name: string; security: SecurityContext } | Identity | null>): PromiseOrValue<AccessMatrix>;
  /** The schema given to `createAuthz` (never modified). */
  readonly schema: GraphQLSchema;
}
