/**
 * gatehouse/react: the same permission schema in the browser. `SecurityProvider`
 * holds an identity and its permission objects (from the API); `useCan` and `<Can>`
 * run the very checks the server runs. No network code: the server stays the authority.
 * @module
 */
export { SecurityProvider } from "./security-provider.js";
export type { SecurityProviderProps } from "./security-provider.js";
export { useSecurity, usePermission } from "./use-security.js";
export type { SecurityState } from "./use-security.js";
export { useCan } from "./use-can.js";
export { Can } from "./can.js";
export type { CanProps } from "./can.js";
export { isBuiltInAction } from "./check-action.js";
export type { BuiltInAction, CanAction } from "./check-action.js";
export { normalizePermissions } from "./normalize-permissions.js";
