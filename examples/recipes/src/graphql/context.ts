import type { SecurityContext } from "gatehouse";
import type { Store, User } from "gatehouse/store";
import type { RecipeRepository } from "../recipes/repository.js";
import { createRecipeUseCases, type RecipeUseCases } from "../recipes/use-cases.js";

/** What resolvers and rules read from the GraphQL context. `security` is put there by `useGatehouse`. */
export interface RecipesContext {
  security: SecurityContext;
}

/** App services shared by every request. */
export interface RecipesServices {
  store: Store;
  repository: RecipeRepository;
}

interface RequestScope {
  recipes: RecipeUseCases;
  users: Map<string, Promise<User | null>>;
}

// Per-request state keyed by the context object: gone with the request, never shared between two.
const scopes = new WeakMap<object, RequestScope>();

function scopeOf(context: RecipesContext, services: RecipesServices): RequestScope {
  let scope = scopes.get(context);
  if (!scope) {
    if (!context.security) throw new Error("No security context on the GraphQL context.");
    scope = { recipes: createRecipeUseCases(context.security, services.repository), users: new Map() };
    scopes.set(context, scope);
  }
  return scope;
}

/** The use cases bound to this request's security context. */
export function recipesOf(context: RecipesContext, services: RecipesServices): RecipeUseCases {
  return scopeOf(context, services).recipes;
}

/** Loads a user once per request (a recipe list names the same authors again and again). */
export function loadUser(context: RecipesContext, services: RecipesServices, id: string): Promise<User | null> {
  const { users } = scopeOf(context, services);
  let user = users.get(id);
  if (!user) {
    user = services.store.users.get(id);
    users.set(id, user);
  }
  return user;
}
