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
    if (isGatehouseError(error)) return { message: error.message, code: error.code };
    const ext = (error as { extensions?: { code?: unknown } }).extensions?.code;
    return { message: error.message, code: typeof ext === "string" && CLIENT_CODES.has(ext) ? ext : "FORBIDDEN" };
  }
  return fallback;
}

/** A located denial error. @internal */
export function denialError(info: DenialInfo, path: Path, nodes?: readonly FieldNode[]): GraphQLError {
  // A denial has no useful stack, and capturing one per denied list item
  // dominates the cost of a denied field (10x); skip the capture.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(info.message, { nodes, path, extensions: { code: info.code } });
  } finally {
    Error.stackTraceLimit = limit;
  }
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
      extensions: { ...(base?.extensions ?? {}), code: source.code },
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
