/**
 * `gatehouse/store`: roles, groups, assignments, API keys and users on PGlite
 * (embedded, the default) or Postgres, with cache invalidation across nodes.
 * @module
 */
export { createStore } from "./create-store.js";
export { storeAuthorizer } from "./store-authorizer.js";
export type { StoreAuthorizer, StoreAuthorizerOptions } from "./store-authorizer.js";
export { revocationGuard } from "./revocation-guard.js";
export type { RevocationGuard, RevocationGuardOptions } from "./revocation-guard.js";
export { watchIdentity, affectsIdentity } from "./identity-changes.js";
export { redisCounterStore, redisReplayStore } from "./redis.js";
export type { RedisStoreOptions } from "./redis.js";
export { CHANGE_CHANNEL } from "./changes.js";
export { DEFAULT_SCRYPT } from "./password.js";
export { normalizeUsername } from "./username.js";
export { StoreError, StoreInputError, StoreConflictError, StoreNotFoundError, StoreConnectionError } from "./errors.js";
export type { StoreErrorCode } from "./errors.js";
export type {
  Db,
  Migration,
  ScryptParams,
  StoreOptions,
  Store,
  StoreChange,
  Role,
  RoleInput,
  RolePatch,
  RolesApi,
  Group,
  GroupInput,
  GroupPatch,
  GroupsApi,
  AssignmentInput,
  AssignmentsApi,
  ApiKeyInput,
  ApiKeyInfo,
  ApiKeysApi,
  CreatedApiKey,
  StoreApiKeyRecord,
  User,
  UserInput,
  UsersApi,
} from "./types.js";
