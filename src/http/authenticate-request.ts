import { InvalidCredentialsError, type Security, type SecurityContext } from "../core/index.js";
import { getCredentials, hasMalformedCredentials, type CredentialSource, type GetCredentialsOptions } from "./credentials.js";

/**
 * Reads the request's credentials and authenticates them: one call per request.
 * No credentials → an anonymous context.
 * @throws InvalidCredentialsError (`INVALID_CREDENTIALS`) when a credential is present but
 *   malformed (e.g. `Authorization: Bearer` with no token) or fails verification.
 * @example
 * const ctx = await authenticateRequest(security, request);
 * if (!ctx.isAuthenticated) throw new NotAuthenticatedError();
 */
export async function authenticateRequest(
  security: Security,
  request: CredentialSource,
  options: GetCredentialsOptions = {},
): Promise<SecurityContext> {
  const credentials = getCredentials(request, options);
  // Present-but-unusable is never anonymous.
  if (hasMalformedCredentials(credentials)) throw new InvalidCredentialsError("Malformed credentials.");
  return security.authenticate(credentials);
}
