import { GraphQLError, type GraphQLErrorExtensions } from "graphql";
import { isGatehouseError } from "../core/index.js";
import { errorResponseInit } from "../http/index.js";

/** How a transport wants HTTP headers on a GraphQLError's `extensions.http`. */
export type HeaderShape = "record" | "map";

/** Only the authentication headers travel on the error; the server sets its own content type. */
const AUTH_HEADERS = ["www-authenticate", "retry-after"] as const;

/**
 * Maps an authentication failure to a GraphQLError the server turns into an
 * HTTP response, with the status and headers of `errorResponseInit` (the one
 * error → HTTP mapping): invalid credentials → 401 + `WWW-Authenticate: Bearer
 * error="invalid_token"`, rate limited → 429 + `Retry-After`. Anything else is
 * returned unchanged so the server masks it as an internal error.
 * @internal
 */
export function toAuthenticationGraphQLError(error: unknown, headerShape: HeaderShape): unknown {
  if (!isGatehouseError(error)) return error;
  const init = errorResponseInit(error);
  const headers: Record<string, string> = {};
  for (const name of AUTH_HEADERS) if (init.headers[name] !== undefined) headers[name] = init.headers[name];
  // Yoga reads `http.headers` as a record, Apollo as a Map; servers augment the extension types
  // differently, so the bag is typed loosely here.
  const extensions: GraphQLErrorExtensions = {
    code: error.code,
    http: { status: init.status, headers: headerShape === "map" ? new Map(Object.entries(headers)) : headers } as unknown as GraphQLErrorExtensions["http"],
  };
  return new GraphQLError(error.message, { extensions });
}
