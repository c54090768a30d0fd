import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { isGatehouseError, type Permission } from "gatehouse";
import { toGraphQLError } from "gatehouse/graphql";
import type { User } from "gatehouse/store";
import { RecipeError } from "../recipes/errors.js";
import type { Recipe, RecipeInput } from "../recipes/types.js";
import { loadUser, recipesOf, type RecipesContext, type RecipesServices } from "./context.js";

/** Receives denials raised by the use cases (the GraphQL rules log their own). */
export type DenialLogger = (entry: { requestId?: string; identityId: string | null; coordinate: string; rule: string; code: string }) => void;

type Resolver<P, A, R> = (parent: P, args: A, context: RecipesContext, info: GraphQLResolveInfo) => Promise<R> | R;

/**
 * Thin resolvers over the use cases. Domain and gatehouse errors become
 * GraphQL errors with `extensions.code`; anything else is rethrown and masked by Yoga.
 */
export function createResolvers(services: RecipesServices, logDenial: DenialLogger) {
  function guarded<P, A, R>(fn: Resolver<P, A, R>): Resolver<P, A, R> {
    return async (parent, args, context, info) => {
      try {
        return await fn(parent, args, context, info);
      } catch (error) {
        throw toClientError(error, context, info, logDenial);
      }
    };
  }
  const recipes = (context: RecipesContext) => recipesOf(context, services);

  return {
    Query: {
      me: guarded<unknown, unknown, User | null>((_p, _a, context) =>
        context.security.identity ? loadUser(context, services, context.security.identity.id) : null,
      ),
      recipes: guarded<unknown, unknown, Recipe[]>((_p, _a, context) => recipes(context).list()),
      recipe: guarded<unknown, { id: string }, Recipe | null>((_p, { id }, context) => recipes(context).get(id)),
    },
    Mutation: {
      createRecipe: guarded<unknown, { input: RecipeInput }, Recipe>((_p, { input }, context) => recipes(context).create(input)),
      updateRecipe: guarded<unknown, { id: string; input: RecipeInput }, Recipe>((_p, { id, input }, context) =>
        recipes(context).update(id, input),
      ),
      deleteRecipe: guarded<unknown, { id: string }, boolean>((_p, { id }, context) => recipes(context).delete(id)),
      publishRecipe: guarded<unknown, { id: string }, Recipe>((_p, { id }, context) => recipes(context).publish(id)),
    },
    Recipe: {
      createdBy: guarded<Recipe, unknown, Pick<User, "id" | "username" | "displayName" | "email">>(async (recipe, _a, context) => {
        const user = await loadUser(context, services, recipe.createdBy.id);
        // createdBy is non-null: an author whose account is gone still shows as a stable placeholder.
        return user ?? { id: recipe.createdBy.id, username: "unknown", displayName: "Unknown author", email: null };
      }),
    },
    User: {
      email: (user: User) => user.email ?? null,
      permissions: guarded<User, unknown, Permission[]>(async (user) => toPermissionViews(await services.store.permissionsFor(user.id))),
    },
    Permission: {
      own: (p: Permission) => (typeof p.own === "boolean" ? p.own : null),
      rwd: (p: Permission) => (typeof p.rwd === "string" ? p.rwd : null),
      pw: (p: Permission) => (typeof p.pw === "string" ? p.pw : null),
    },
  };
}

function toPermissionViews(list: readonly Permission[]): Permission[] {
  return list.map((p) => ({ name: p.name, own: p.own, rwd: p.rwd, pw: p.pw }));
}

function toClientError(error: unknown, context: RecipesContext, info: GraphQLResolveInfo, logDenial: DenialLogger): unknown {
  if (isGatehouseError(error)) {
    if (error.code === "FORBIDDEN" || error.code === "UNAUTHENTICATED") {
      logDenial({
        requestId: context.security?.requestId,
        identityId: context.security?.identity?.id ?? null,
        coordinate: `${info.parentType.name}.${info.fieldName}`,
        rule: "use-case",
        code: error.code,
      });
    }
    return toGraphQLError(error);
  }
  if (error instanceof RecipeError) return new GraphQLError(error.message, { extensions: { code: error.code } });
  return error;
}
