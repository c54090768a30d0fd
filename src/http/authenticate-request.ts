import { authenticateNowOf, type AuthenticateNow } from "../core/create-security.js";
import { InvalidCredentialsError, type Security, type SecurityContext } from "../core/index.js";
import { isPromiseLike, type PromiseOrValue } from "../core/sync-path.js";
import { getCredentials, hasMalformedCredentials, type CredentialSource, type GetCredentialsOptions, type HttpCredentials } from "./credentials.js";

/**
 * Reads the request's credentials and authenticates them: one call per request.
 * No credentials → an anonymous context. Every credential the request carries
 * must be usable and claimed, whatever else it carries:
 * - a present-but-malformed one (e.g. `Authorization: Bearer` with no token, an
 *   `X-API-Key` with spaces) is refused even beside a valid one;
 * - a bearer token and an API key together are refused as ambiguous (one request,
 *   one credential: RFC 6750 §2 asks clients for one method per request), so a
 *   valid token never hides a bad key, nor a valid key a bad token;
 * - a well-formed credential that no authenticator claims (e.g. an `X-API-Key`
 *   where no API-key authenticator is configured) is refused, never anonymous.
 * @throws InvalidCredentialsError (`INVALID_CREDENTIALS`) in those cases, and when a
 *   credential fails verification.
 * @example
 * const ctx = await authenticateRequest(security, request);
 * if (!ctx.isAuthenticated) throw new NotAuthenticatedError();
 */
export function authenticateRequest(
  security: Security,
  request: CredentialSource,
  options: GetCredentialsOptions = {},
): Promise<SecurityContext> {
  return settled(() => authenticateRequestNow(authenticateNowOf(security), request, options));
}

/**
 * {@link authenticateRequest} for credentials read elsewhere than from an
 * HTTP request's headers, e.g. `connectionParamsCredentials(ctx.connectionParams)`
 * for a graphql-ws operation: the same rules (malformed, ambiguous or
 * unclaimed credentials refused), the same errors.
 * @example
 * const ctx = await authenticateCredentials(security, connectionParamsCredentials(ctx.connectionParams));
 */
export function authenticateCredentials(security: Security, credentials: HttpCredentials): Promise<SecurityContext> {
  return settled(() => authenticateCredentialsNow(authenticateNowOf(security), credentials));
}

/** A synchronous path's value, promise or throw, as one promise. */
function settled<T>(run: () => PromiseOrValue<T>): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * {@link authenticateRequest} over a Security object's synchronous path: the context as a value when
 * nothing had to wait, else a promise; its errors are thrown synchronously where `authenticateRequest`
 * would reject with them.
 * @internal
 */
export function authenticateRequestNow(
  authenticate: AuthenticateNow,
  request: CredentialSource,
  options: GetCredentialsOptions = {},
): PromiseOrValue<SecurityContext> {
  return authenticateCredentialsNow(authenticate, getCredentials(request, options));
}

/**
 * The rules of {@link authenticateRequest} applied to credentials already read
 * (e.g. from a WebSocket's connection parameters).
 * @internal
 */
export function authenticateCredentialsNow(authenticate: AuthenticateNow, credentials: HttpCredentials): PromiseOrValue<SecurityContext> {
  // Present-but-unusable is never anonymous.
  if (hasMalformedCredentials(credentials)) throw new InvalidCredentialsError("Malformed credentials.");
  const presented = credentials.token !== undefined || credentials.apiKey !== undefined;
  if (credentials.token !== undefined && credentials.apiKey !== undefined) {
    throw new InvalidCredentialsError("Send one credential per request: a bearer token or an API key, not both.");
  }
  const ctx = authenticate(credentials);
  if (!presented) return ctx;
  return isPromiseLike(ctx) ? ctx.then(claimed) : claimed(ctx);
}

/** A credential nobody recognised: refusing it tells the client its key or token is not accepted here. */
function claimed(ctx: SecurityContext): SecurityContext {
  if (!ctx.isAuthenticated) throw new InvalidCredentialsError("Credentials were not accepted.");
  return ctx;
}
