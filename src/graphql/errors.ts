/**
 * Denials and gatehouse errors as GraphQL errors: `{ message, path,
 * extensions: { code } }`, without `originalError` so servers that mask
 * unexpected errors (Yoga) still show them.
 * @module
 */
import { GraphQLError, type ExecutionResult, type FieldNode } from "graphql";
import { isGatehouseError, type SecurityContext } from "../core/index.js";
import type { Verdict } from "./evaluate.js";

type Path = ReadonlyArray<string | number>;

const CLIENT_CODES = new Set(["FORBIDDEN", "UNAUTHENTICATED"]);

/** Message and code of a denial, as the client sees it. @internal */
export interface DenialInfo {
  readonly message: string;
  readonly code: string;
  /** Extra `extensions` beside `code`, e.g. `retryAfter` (seconds) for `RATE_LIMITED`. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** Extensions a gatehouse error adds beside its code: only `retryAfter` of a rate limit. */
function extraExtensions(error: Error): Readonly<Record<string, unknown>> | undefined {
  const retryAfter = (error as { retryAfterSec?: unknown }).retryAfterSec;
  return isGatehouseError(error) && error.code === "RATE_LIMITED" && typeof retryAfter === "number" ? { retryAfter } : undefined;
}

/** Turns a failed verdict into what the client sees; never the message of a thrown error. @internal */
export function denialInfo(verdict: Verdict, security: SecurityContext): DenialInfo {
  const anonymous = security.identity === null;
  const fallback: DenialInfo = anonymous
    ? { message: "Authentication required.", code: "UNAUTHENTICATED" }
    : { message: "Not authorized.", code: "FORBIDDEN" };
  if (verdict.ok || verdict.threw) return fallback;
  const error = verdict.error;
  if (typeof error === "string") return { message: error, code: fallback.code };
  if (error instanceof Error) {
    if (isGatehouseError(error)) {
      const extensions = extraExtensions(error);
      return extensions ? { message: error.message, code: error.code, extensions } : { message: error.message, code: error.code };
    }
    const ext = (error as { extensions?: { code?: unknown } }).extensions?.code;
    return { message: error.message, code: typeof ext === "string" && CLIENT_CODES.has(ext) ? ext : "FORBIDDEN" };
  }
  return fallback;
}

/*
 * Denials are built from a prototype per field position instead of the
 * GraphQLError constructor. A denied list of 1,000 rows needs 1,000 errors:
 * the constructor (stack capture, source locations, defineProperties) costs
 * microseconds each, more than executing the row. The result is a real
 * GraphQLError to every reader (instanceof, name, toJSON, toString,
 * nodes/locations for servers that re-wrap errors) with the same own
 * enumerable keys as one built by the constructor.
 */
const BASE: object = Object.create(GraphQLError.prototype, {
  name: { value: "GraphQLError", writable: true, configurable: true },
  originalError: { value: undefined, writable: true, configurable: true },
  stack: {
    get(this: GraphQLError) {
      return `GraphQLError: ${this.message}`;
    },
    configurable: true,
  },
});

interface Located {
  readonly nodes: readonly FieldNode[];
  readonly proto: object;
  readonly locations: GraphQLError["locations"];
}
const byFirstNode = new WeakMap<FieldNode, Located>();

function locatedProto(nodes: readonly FieldNode[]): Located {
  const cached = byFirstNode.get(nodes[0]!);
  if (cached && cached.nodes.length === nodes.length && cached.nodes.every((n, i) => n === nodes[i])) return cached;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let model: GraphQLError;
  try {
    model = new GraphQLError("", { nodes });
  } finally {
    Error.stackTraceLimit = limit;
  }
  const proto = Object.create(BASE, {
    nodes: { value: model.nodes, writable: true, configurable: true },
    source: { value: model.source, writable: true, configurable: true },
    positions: { value: model.positions, writable: true, configurable: true },
  }) as object;
  const located: Located = { nodes: [...nodes], proto, locations: model.locations };
  byFirstNode.set(nodes[0]!, located);
  return located;
}

/** A located denial error. @internal */
export function denialError(info: DenialInfo, path: Path, nodes?: readonly FieldNode[]): GraphQLError {
  const located = nodes && nodes.length > 0 ? locatedProto(nodes) : null;
  const error = Object.create(located?.proto ?? BASE) as { -readonly [K in keyof GraphQLError]: GraphQLError[K] };
  error.message = info.message;
  error.path = path;
  error.locations = located?.locations;
  error.extensions = info.extensions ? { ...info.extensions, code: info.code } : { code: info.code };
  return error as GraphQLError;
}

/**
 * Converts a gatehouse error (or any error) thrown in your own resolver code
 * into a GraphQLError with `extensions.code` and no `originalError`.
 * Errors that are not gatehouse errors keep their message and get no code.
 * @example
 * throw toGraphQLError(new NotAuthorizedError("Only the author may edit."), info.path ? pathToArray(info.path) : undefined);
 */
export function toGraphQLError(error: unknown, path?: Path): GraphQLError {
  if (error instanceof GraphQLError && !isGatehouseError(error.originalError)) return error;
  const source = error instanceof GraphQLError ? error.originalError : error;
  if (isGatehouseError(source)) {
    const base = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError(source.message, {
      nodes: base?.nodes,
      source: base?.source,
      positions: base?.positions,
      path: path ?? base?.path,
      extensions: { ...(base?.extensions ?? {}), ...extraExtensions(source), code: source.code },
    });
  }
  const message = source instanceof Error ? source.message : String(source);
  return new GraphQLError(message, { path, originalError: source instanceof Error ? source : undefined });
}

/** Rewrites resolver-thrown gatehouse errors in a result. Cheap: only runs when there are errors. @internal */
export function rewriteErrors(result: ExecutionResult): ExecutionResult {
  const errors = result.errors;
  if (!errors || !errors.some((e) => isGatehouseError(e.originalError))) return result;
  return { ...result, errors: errors.map((e) => (isGatehouseError(e.originalError) ? toGraphQLError(e) : e)) };
}
