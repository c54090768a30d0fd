import type { Security, SecurityContext } from "../core/index.js";
import { authenticateNowOf } from "../core/create-security.js";
import { isPromiseLike } from "../core/sync-path.js";
import { authenticateRequestNow } from "./authenticate-request.js";
import { errorResponseInit } from "./error-response.js";
import { safeCall } from "./express.js";

/** The parts of an API Gateway REST (v1) or HTTP API (v2) proxy event that are read. */
export interface LambdaHttpEvent {
  /** `"2.0"` for HTTP API payload v2. */
  version?: string;
  headers?: Record<string, string | undefined> | null;
  /** v1 only: every value of repeated headers. */
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  /** v2 only: the `Cookie` header, split. */
  cookies?: string[];
}

/** A proxy integration result (v1 and v2). */
export interface LambdaResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, Array<string | number | boolean>>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** Options for {@link withSecurity}. */
export interface WithSecurityOptions {
  /** Cookie holding a bearer token. @default undefined (cookies ignored) */
  cookieName?: string;
  /** Sees unexpected errors (e.g. to log them) before the masked 500 is returned. Must not throw. @default undefined */
  onError?: (error: unknown) => void;
}

/**
 * Wraps an AWS Lambda handler for API Gateway v1 (REST) and v2 (HTTP API)
 * events: authenticates the request and passes the `SecurityContext` to
 * `handler`. Authentication errors and gatehouse errors thrown by the
 * handler become their HTTP response via `errorResponseInit`; any other
 * handler error is masked as a 500 and never leaks.
 * @example
 * export const handler = withSecurity(security, async (event, ctx) => ({ statusCode: 200, body: ctx.identity?.id ?? "anon" }));
 */
export function withSecurity<E extends LambdaHttpEvent, C = unknown>(
  security: Security,
  handler: (event: E, ctx: SecurityContext, lambdaContext?: C) => Promise<LambdaResult>,
  options: WithSecurityOptions = {},
): (event: E, lambdaContext?: C) => Promise<LambdaResult> {
  if (!security || typeof security.authenticate !== "function") {
    throw new TypeError("withSecurity: `security` must come from createSecurity().");
  }
  if (typeof handler !== "function") throw new TypeError("withSecurity: `handler` must be a function.");
  const { cookieName, onError } = options;
  const authenticate = authenticateNowOf(security);
  return async (event, lambdaContext) => {
    try {
      const now = authenticateRequestNow(authenticate, { headers: eventHeaders(event) }, { cookieName });
      const ctx = isPromiseLike(now) ? await now : now;
      return await handler(event, ctx, lambdaContext);
    } catch (error) {
      const init = errorResponseInit(error);
      if (init.status === 500) safeCall(onError, error);
      return { statusCode: init.status, headers: init.headers, body: JSON.stringify(init.body) };
    }
  };
}

/** Headers of either payload version, with repeated values kept so duplicates are detected. @internal */
export function eventHeaders(event: LambdaHttpEvent): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (name: string, values: string[]) => {
    const key = name.toLowerCase();
    const prev = out[key];
    out[key] = prev === undefined ? values : [...(Array.isArray(prev) ? prev : [prev]), ...values];
  };
  const multi = event?.multiValueHeaders;
  if (multi && typeof multi === "object") {
    for (const [name, values] of Object.entries(multi)) if (Array.isArray(values)) add(name, values.map(String));
  }
  // `headers` fills in names `multiValueHeaders` lacks (v2 events, or maps filled
  // differently): a credential in either one is read, never dropped.
  const fromMulti = new Set(Object.keys(out));
  if (event?.headers && typeof event.headers === "object") {
    for (const [name, value] of Object.entries(event.headers)) {
      if (typeof value === "string" && !fromMulti.has(name.toLowerCase())) add(name, [value]);
    }
  }
  // v2 moves the Cookie header into `cookies`.
  if (Array.isArray(event?.cookies) && event.cookies.length > 0) add("cookie", [event.cookies.join("; ")]);
  return out;
}
