import { createContext, useMemo } from "react";
import type { ReactNode } from "react";
import { createSecurityContext } from "../core/index.js";
import type { Identity, Permission, SecurityContext } from "../core/index.js";
import type { AnyPermissionsDefinition } from "./check-action.js";

/** What the provider shares with the hooks. @internal */
export interface SecurityValue {
  readonly context: SecurityContext;
  readonly definition: AnyPermissionsDefinition | undefined;
  readonly onError: ((error: unknown) => void) | undefined;
}

/** @internal */
export const SecurityReactContext = createContext<SecurityValue | null>(null);

/** Props of {@link SecurityProvider}. */
export interface SecurityProviderProps {
  /** The signed-in user, or `null` for anonymous (e.g. from a `me` query or a decoded token). */
  identity: Identity | null;
  /**
   * The identity's permission objects, as the API sent them (`me { permissions { name own rwd pw } }`).
   * @default []
   */
  permissions?: readonly Permission[] | null;
  /**
   * The permission schema used by the short forms `useCan(entity, action, item?)` and
   * `<Can entity action>`: the same `createPermissions` object the server imports.
   * @default undefined (the short forms throw; pass a definition to each call instead)
   */
  definition?: AnyPermissionsDefinition;
  /**
   * Called when a check throws (e.g. an unknown entity id). The check still denies.
   * @default undefined (the error is swallowed and the check denies)
   */
  onError?: (error: unknown) => void;
  children?: ReactNode;
}

/**
 * Gives its subtree one security context built from `identity` and `permissions`.
 * The context is rebuilt only when their contents change, so passing a fresh but
 * equal array on every render does not re-run checks. No network code: fetch the
 * permissions yourself; the server stays the authority.
 * @example
 * <SecurityProvider identity={me} permissions={me?.permissions ?? []} definition={RecipePermissions}>
 *   <App />
 * </SecurityProvider>
 */
export function SecurityProvider(props: SecurityProviderProps): ReactNode {
  const { identity, permissions, definition, onError, children } = props;
  const context = useMemo(
    () => createSecurityContext({ identity, permissions: permissions ?? [] }),
    // By content when it serializes, otherwise by reference.
    [contentKey(identity) ?? identity, contentKey(permissions ?? []) ?? permissions],
  );
  const value = useMemo<SecurityValue>(() => ({ context, definition, onError }), [context, definition, onError]);
  return <SecurityReactContext.Provider value={value}>{children}</SecurityReactContext.Provider>;
}

/** A string that changes exactly when `value`'s content changes, or `null` if it does not serialize. */
function contentKey(value: unknown): string | null {
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}
