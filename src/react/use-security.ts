import { useContext } from "react";
import type { Identity, Permission, SecurityContext } from "../core/index.js";
import { SecurityReactContext } from "./security-provider.js";
import type { SecurityValue } from "./security-provider.js";

/** What {@link useSecurity} returns. */
export interface SecurityState {
  /** The signed-in user, or `null` when anonymous. */
  readonly identity: Identity | null;
  readonly isAuthenticated: boolean;
  /** The full security context, e.g. for `Definition.for(context)` in your own code. */
  readonly context: SecurityContext;
  /** First permission matching `name` (exact, `prefix.*` or `*`), or `null`. */
  getPermission(name: string): Permission | null;
  /** Holds `{ name: "*" }`. */
  hasFullAccess(): boolean;
}

const outside =
  "gatehouse/react: this hook was called outside <SecurityProvider>. Wrap your app (or the test render) in <SecurityProvider identity={...} permissions={...}>.";

/** @internal The provider's value; throws a clear Error outside a provider. */
export function useSecurityValue(): SecurityValue {
  const value = useContext(SecurityReactContext);
  if (value === null) throw new Error(outside);
  return value;
}

/**
 * The nearest provider's identity and permissions.
 * @throws Error when called outside `<SecurityProvider>`.
 * @example
 * const { identity, isAuthenticated } = useSecurity();
 */
export function useSecurity(): SecurityState {
  const { context } = useSecurityValue();
  return {
    identity: context.identity,
    isAuthenticated: context.isAuthenticated,
    context,
    getPermission: (name) => context.getPermission(name),
    hasFullAccess: () => context.hasFullAccess(),
  };
}

/**
 * The first permission matching `name` (exact, `prefix.*` or `*`), or `null`.
 * Synchronous: the provider already holds every permission.
 * @throws Error when called outside `<SecurityProvider>`.
 * @example
 * const perm = usePermission("recipes.recipe"); // { name: "recipes.recipe", own: true, rwd: "rwd" } | null
 */
export function usePermission(name: string): Permission | null {
  return useSecurityValue().context.getPermission(name);
}
