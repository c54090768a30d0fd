import type { ReactNode } from "react";
import { createPermissions } from "gatehouse";
import type { Identity, Permission } from "gatehouse";
import { SecurityProvider } from "gatehouse/react";
import type { SecurityProviderProps } from "gatehouse/react";

/** A recipes-like schema with one custom flag, so custom actions are covered too. */
export const Recipes = createPermissions({
  prefix: "recipes",
  fullAccess: { name: "recipes.*" },
  entities: [
    { id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"], actions: [{ name: "rwd" }, { name: "pw" }, { name: "approve" }] },
  ],
} as const);

export interface User {
  identity: Identity | null;
  permissions: Permission[];
}

export const users = {
  anonymous: { identity: null, permissions: [] },
  joe: { identity: { id: "joe", displayName: "Joe" }, permissions: [{ name: "recipes.recipe", own: true, rwd: "rwd" }] },
  jane: { identity: { id: "jane", displayName: "Jane" }, permissions: [{ name: "recipes.recipe", own: true, rwd: "rwd" }] },
  ed: { identity: { id: "ed" }, permissions: [{ name: "recipes.recipe", rwd: "rwd", pw: "pu", approve: true }] },
  admin: { identity: { id: "admin" }, permissions: [{ name: "*" }] },
} satisfies Record<string, User>;

export const joesRecipe = { id: "r1", title: "Pancakes", createdBy: { id: "joe" } };
export const janesRecipe = { id: "r2", title: "Soup", createdBy: { id: "jane" } };

/** A wrapper for renderHook/render: one provider for `user`, with extra provider props. */
export function wrapperFor(user: User, extra: Partial<SecurityProviderProps> = {}) {
  return function Wrapper({ children }: { children?: ReactNode }) {
    return (
      <SecurityProvider identity={user.identity} permissions={user.permissions} {...extra}>
        {children}
      </SecurityProvider>
    );
  };
}
