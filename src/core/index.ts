/**
 * Core: identity, security context, the authenticator/authorizer pipeline and errors.
 * No runtime dependencies.
 * @module
 */
export type { Identity, Permission, Credentials, Authenticator, Authorizer } from "./types.js";
export { createSecurity } from "./create-security.js";
export type { Security, SecurityOptions } from "./create-security.js";
export { createSecurityContext } from "./security-context.js";
export type { SecurityContext, SecurityContextInit } from "./security-context.js";
export { permissionNameMatches } from "./permission-match.js";
export {
  GatehouseError,
  NotAuthenticatedError,
  InvalidCredentialsError,
  NotAuthorizedError,
  PolicyValidationError,
  UncoveredSchemaError,
  WebhookVerificationError,
  RateLimitedError,
  isGatehouseError,
} from "./errors.js";
export type {
  GatehouseErrorCode,
  GatehouseErrorOptions,
  AnyGatehouseError,
  PolicyIssue,
  WebhookFailureReason,
} from "./errors.js";
export type { ReplayStore, CounterStore } from "./stores.js";
