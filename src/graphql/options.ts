/**
 * Validates `createAuthz` options once, eagerly, into a frozen resolved object.
 * Misconfiguration throws TypeError with a message that says what to fix.
 * @module
 */
import { isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";
import { createAuditLogger, isAuditLoggerLike } from "../audit/create-audit-logger.js";
import type { AuditSink } from "../audit/types.js";
import type { SecurityContext } from "../core/index.js";
import { createPolicyEngine, type PolicyEngine } from "../policy/index.js";
import { referencedRuleNames } from "./field-rules.js";
import { asRule } from "./compat/rule-like.js";
import { allow, deny, isAuthenticated, postRulesIn, usesPolicy } from "./rules.js";
import type { AuthSchema, AuthzOptions, Rule } from "./types.js";
import type { QueryCompiler } from "./compiled.js";

/** @internal */
export interface ResolvedAuthzOptions {
  readonly schema: GraphQLSchema;
  readonly rules: ReadonlyMap<string, Rule>;
  readonly authSchema: AuthSchema;
  readonly engine: PolicyEngine | null;
  readonly onDenied: "null" | "reject";
  readonly mode: "enforce" | "audit";
  readonly introspection: Rule;
  readonly introspectionName: string;
  readonly audit: AuditSink | null;
  readonly auditAllows: boolean;
  readonly planCacheSize: number;
  readonly requireFullCoverage: boolean;
  readonly getSecurity: (contextValue: unknown) => SecurityContext | undefined;
  readonly now: () => number;
  readonly policyResolver: AuthzOptions["policyResolver"] | null;
  readonly compile: QueryCompiler | null;
  /** authSchema keys that name no type of the schema: ignored, reported by `coverage()`. */
  readonly unknownTypes: readonly string[];
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new TypeError(`createAuthz: \`${name}\` must be one of ${allowed.map((a) => `"${a}"`).join(", ")}.`);
  return value as T;
}

function isEngine(value: unknown): value is PolicyEngine {
  return typeof value === "object" && value !== null && typeof (value as PolicyEngine).evaluate === "function" && Array.isArray((value as PolicyEngine).policies);
}

function toSink(audit: unknown): AuditSink | null {
  if (audit === undefined || audit === null) return null;
  if (typeof audit === "function") return audit as AuditSink;
  // A pino-style logger goes through the audit module (its redaction, levels and message);
  // allows reach it only when `auditAllows` is on, so it logs every event it is given.
  if (isAuditLoggerLike(audit)) return createAuditLogger({ logger: audit, logAllows: true });
  throw new TypeError("createAuthz: `audit` must be a function (event) => void or a logger with info() and warn().");
}

/**
 * Checks the authSchema's shape; returns the type names the schema does not
 * have. Those are accepted, as GraphQL AuthZ does (one authSchema may serve
 * several subgraphs), and reported by `coverage()` and `gatehouse check`.
 * A type that exists but is not an object or interface, or a field a known
 * type does not have, is a typo that would leave a wildcard in charge: thrown.
 */
function checkAuthSchemaShape(schema: GraphQLSchema, authSchema: AuthSchema): string[] {
  const unknown: string[] = [];
  for (const [typeName, entry] of Object.entries(authSchema)) {
    if (typeof entry !== "object" || entry === null) throw new TypeError(`createAuthz: authSchema.${typeName} must be an object.`);
    if (typeName === "*") continue;
    const type = schema.getType(typeName);
    if (type === undefined || type === null) {
      unknown.push(typeName);
      continue;
    }
    if (!isObjectType(type) && !isInterfaceType(type)) {
      throw new TypeError(`createAuthz: authSchema.${typeName}: "${typeName}" is not an object or interface type.`);
    }
    for (const key of Object.keys(entry)) {
      if (key !== "__authz" && key !== "*" && !type.getFields()[key]) {
        throw new TypeError(`createAuthz: authSchema.${typeName}.${key}: "${typeName}" has no field "${key}".`);
      }
    }
  }
  return unknown.sort();
}

/** @internal */
export function resolveOptions(options: AuthzOptions): ResolvedAuthzOptions {
  if (typeof options !== "object" || options === null) throw new TypeError("createAuthz: pass an options object with at least `schema`.");
  // Duck-typed: a schema built by another copy of graphql-js (CJS vs ESM) is still a schema.
  const schema = options.schema as Partial<GraphQLSchema> | undefined;
  if (typeof schema?.getTypeMap !== "function" || typeof schema.toConfig !== "function") throw new TypeError("createAuthz: `schema` must be a GraphQLSchema (an executable schema).");
  const rules = new Map<string, Rule>();
  for (const [name, rule] of Object.entries(options.rules ?? {})) {
    const converted = asRule(rule, name);
    if (!converted) throw new TypeError(`createAuthz: rules.${name} is not a rule; build it with preExecRule(), postExecRule(), and/or/not, use allow/deny, or a class extending PreExecutionRule / PostExecutionRule.`);
    rules.set(name, converted);
  }
  const authSchema = options.authSchema ?? {};
  if (typeof authSchema !== "object" || authSchema === null) throw new TypeError("createAuthz: `authSchema` must be an object.");
  const unknownTypes = checkAuthSchemaShape(options.schema, authSchema);
  for (const { name, where } of referencedRuleNames(options.schema, authSchema)) {
    if (!rules.has(name)) throw new TypeError(`createAuthz: ${where} names unknown rule "${name}"; add it to \`rules\`.`);
  }

  let engine: PolicyEngine | null = null;
  if (options.policies !== undefined && options.policies !== null) {
    engine = isEngine(options.policies) ? options.policies : createPolicyEngine(options.policies);
  }
  if (!engine && [...rules.values()].some(usesPolicy)) {
    throw new TypeError("createAuthz: a rule uses policy() but no `policies` were given.");
  }

  let introspection: Rule;
  let introspectionName: string;
  const intro = options.introspection ?? "allow";
  if (intro === "allow") [introspection, introspectionName] = [allow, "introspection:allow"];
  else if (intro === "deny") [introspection, introspectionName] = [deny, "introspection:deny"];
  else if (intro === "authenticated") [introspection, introspectionName] = [isAuthenticated, "introspection:authenticated"];
  else if (typeof intro === "string" && rules.has(intro)) [introspection, introspectionName] = [rules.get(intro)!, intro];
  else throw new TypeError('createAuthz: `introspection` must be "allow", "authenticated", "deny" or the name of a rule in `rules`.');
  if (postRulesIn(introspection).length > 0) throw new TypeError("createAuthz: the `introspection` rule must be a pre-execution rule.");

  const planCacheSize = options.planCacheSize ?? 1000;
  if (!Number.isInteger(planCacheSize) || planCacheSize < 1) throw new TypeError("createAuthz: `planCacheSize` must be a positive integer.");
  if (options.getSecurity !== undefined && typeof options.getSecurity !== "function") throw new TypeError("createAuthz: `getSecurity` must be a function.");
  if (options.now !== undefined && typeof options.now !== "function") throw new TypeError("createAuthz: `now` must be a function returning milliseconds.");
  if (options.policyResolver !== undefined && typeof options.policyResolver !== "function") throw new TypeError("createAuthz: `policyResolver` must be a function (names, context) => Map<string, boolean>.");
  if (options.compile !== undefined && typeof options.compile !== "function") throw new TypeError("createAuthz: `compile` must be a query compiler (schema, document, operationName) => compiled query, e.g. graphql-jit's compileQuery.");
  if (options.auditAllows !== undefined && typeof options.auditAllows !== "boolean") throw new TypeError("createAuthz: `auditAllows` must be a boolean.");

  return Object.freeze({
    schema: options.schema,
    rules,
    authSchema,
    engine,
    onDenied: oneOf(options.onDenied, ["null", "reject"] as const, "null", "onDenied"),
    mode: oneOf(options.mode, ["enforce", "audit"] as const, "enforce", "mode"),
    introspection,
    introspectionName,
    audit: toSink(options.audit),
    auditAllows: options.auditAllows ?? false,
    planCacheSize,
    requireFullCoverage: options.requireFullCoverage === true,
    getSecurity: options.getSecurity ?? ((ctx: unknown) => (ctx as { security?: SecurityContext } | null | undefined)?.security),
    now: options.now ?? Date.now,
    policyResolver: options.policyResolver ?? null,
    compile: options.compile ?? null,
    unknownTypes,
  });
}
