import { isGatehouseError } from "../core/index.js";

/** A JSON error response, ready for any HTTP framework. */
export interface ErrorResponseInit {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string } };
}

/** The message sent for anything that is not a gatehouse error. */
export const INTERNAL_ERROR_MESSAGE = "Internal server error.";

/**
 * The one mapping from errors to HTTP responses: a gatehouse error keeps its
 * status, code and (safe) message; `INVALID_CREDENTIALS` adds
 * `WWW-Authenticate: Bearer error="invalid_token"` and `UNAUTHENTICATED`
 * `WWW-Authenticate: Bearer` (RFC 6750 §3); `RATE_LIMITED` adds `Retry-After`.
 * Anything else is masked as 500 `INTERNAL`.
 * @example
 * const { status, headers, body } = errorResponseInit(error);
 * return new Response(JSON.stringify(body), { status, headers });
 */
export function errorResponseInit(error: unknown): ErrorResponseInit {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };
  if (!isGatehouseError(error)) {
    return { status: 500, headers, body: { error: { code: "INTERNAL", message: INTERNAL_ERROR_MESSAGE } } };
  }
  if (error.code === "INVALID_CREDENTIALS") headers["www-authenticate"] = 'Bearer error="invalid_token"';
  else if (error.code === "UNAUTHENTICATED") headers["www-authenticate"] = "Bearer";
  else if (error.code === "RATE_LIMITED" && error.retryAfterSec !== undefined) {
    headers["retry-after"] = String(Math.max(0, Math.ceil(error.retryAfterSec)));
  }
  return { status: error.status, headers, body: { error: { code: error.code, message: error.message } } };
}
