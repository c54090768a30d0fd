/**
 * gatehouse: identity, security context, authenticator/authorizer pipeline,
 * errors and schema permissions. No runtime dependencies.
 * @module
 */
export {
  createSecurity,
  createSecurityContext,
  permissionNameMatches,
  GatehouseError,
  NotAuthenticatedError,
  InvalidCredentialsError,
  NotAuthorizedError,
  PolicyValidationError,
  UncoveredSchemaError,
  WebhookVerificationError,
  RateLimitedError,
  isGatehouseError,
} from "./core/index.js";
export type {
  Identity,
  Permission,
  Credentials,
  Authenticator,
  Authorizer,
  Security,
  SecurityOptions,
  SecurityContext,
  SecurityContextInit,
  GatehouseErrorCode,
  GatehouseErrorOptions,
  AnyGatehouseError,
  PolicyIssue,
  WebhookFailureReason,
  ReplayStore,
  CounterStore,
} from "./core/index.js";
export { createPermissions } from "./permissions/index.js";
export type {
  PermissionsDefinition,
  PermissionsSchema,
  EntitySchema,
  EntityActionSchema,
  OwnableItem,
  EntityId,
  CustomActionOf,
  EntityPermissions,
  RowAction,
} from "./permissions/index.js";
