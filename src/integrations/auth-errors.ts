import { GraphQLError, type GraphQLErrorExtensions } from "graphql";
import { isGatehouseError } from "../core/index.js";

/** How a transport wants HTTP headers on a GraphQLError's `extensions.http`. */
export type HeaderShape = "record" | "map";

/**
 * Maps an authentication failure to a GraphQLError the server turns into an
 * HTTP response: invalid credentials → 401 + `WWW-Authenticate: Bearer
 * error="invalid_token"` (RFC 6750 §3.1), rate limited → 429. Anything else
 * is returned unchanged so the server masks it as an internal error.
 * @internal
 */
export function toAuthenticationGraphQLError(error: unknown, headerShape: HeaderShape): unknown {
  if (!isGatehouseError(error)) return error;
  const headers: Record<string, string> = {};
  if (error.code === "INVALID_CREDENTIALS") headers["www-authenticate"] = 'Bearer error="invalid_token"';
  if (error.code === "UNAUTHENTICATED") headers["www-authenticate"] = "Bearer";
  if (error.code === "RATE_LIMITED" && error.retryAfterSec !== undefined) headers["retry-after"] = String(error.retryAfterSec);
  // Yoga reads `http.headers` as a record, Apollo as a Map; servers augment the extension types
  // differently, so the bag is typed loosely here.
  const extensions: GraphQLErrorExtensions = {
    code: error.code,
    http: { status: error.status, headers: headerShape === "map" ? new Map(Object.entries(headers)) : headers } as unknown as GraphQLErrorExtensions["http"],
  };
  return new GraphQLError(error.message, { extensions });
}
