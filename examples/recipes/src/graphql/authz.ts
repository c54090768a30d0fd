import type { GraphQLSchema } from "graphql";
import type { AuditSink } from "gatehouse/audit";
import type { SecurityContext } from "gatehouse";
import {
  allow,
  and,
  createAuthz,
  deny,
  isAuthenticated,
  postExecRule,
  preExecRule,
  type Authz,
  type AuthSchema,
  type SubscriptionGuardOptions,
} from "gatehouse/graphql";
import { RecipePermissions } from "../../shared/permissions.js";
import type { RecipeRepository } from "../recipes/repository.js";
import type { RecipesContext } from "./context.js";
import { IsAdmin } from "./live.js";

const perms = (context: RecipesContext) => RecipePermissions.for(context.security);

/**
 * The GraphQL layer's rules, on top of the use cases' own checks (defense in
 * depth): mutations are refused before their resolver runs, so a denied
 * mutation never writes. Item-aware rules load the recipe first (fetch,
 * then check the item); a missing recipe passes here and the use case
 * answers NOT_FOUND.
 */
export function createRecipeRules(repository: RecipeRepository) {
  const withItem = (check: (context: RecipesContext, item: { createdBy: { id: string } }) => Promise<boolean>) =>
    async (context: RecipesContext, args: { id: string }) => {
      const item = await repository.get(String(args.id));
      return item ? check(context, item) : true;
    };

  return {
    Anyone: allow,
    Deny: deny,
    IsAuthenticated: isAuthenticated,
    IsAdmin,
    CanCreateRecipe: preExecRule({ name: "CanCreateRecipe" })((context: RecipesContext) => perms(context).canCreate("recipe")),
    CanEditRecipe: preExecRule({ name: "CanEditRecipe" })(
      withItem(async (context, item) => (await perms(context).canEdit("recipe")) && perms(context).canEdit("recipe", item)),
    ),
    // canDelete under `own` is false without the item: this rule always passes it.
    CanDeleteRecipe: preExecRule({ name: "CanDeleteRecipe" })(withItem((context, item) => perms(context).canDelete("recipe", item))),
    CanPublishRecipe: preExecRule({ name: "CanPublishRecipe" })(
      withItem(async (context, item) => (await perms(context).canPublish("recipe")) && perms(context).canAccess("recipe", item)),
    ),
    // Personal data: the user themself, or whoever holds `*`.
    IsSelfOrAdmin: and(
      isAuthenticated,
      postExecRule({ name: "IsSelfOrAdmin", selectionSet: "{ id }" })(
        (context: RecipesContext, _args: unknown, _value: unknown, user: { id?: unknown }) => isSelfOrAdmin(context.security, user),
      ),
    ),
  };
}

function isSelfOrAdmin(security: SecurityContext, user: { id?: unknown }): boolean {
  return security.hasFullAccess() || (security.identity !== null && security.identity.id === user.id);
}

const rules = (...names: string[]) => ({ __authz: { rules: names } });

/**
 * Secure by default: `*.*` denies, every field of the schema is listed
 * explicitly (a field added later is denied until a rule is written for it).
 */
export const RECIPES_AUTH_SCHEMA: AuthSchema = {
  Query: { me: rules("Anyone"), recipes: rules("Anyone"), recipe: rules("Anyone") },
  Mutation: {
    ...rules("IsAuthenticated"),
    createRecipe: rules("CanCreateRecipe"),
    updateRecipe: rules("CanEditRecipe"),
    deleteRecipe: rules("CanDeleteRecipe"),
    publishRecipe: rules("CanPublishRecipe"),
    revokeSessions: rules("IsAdmin"),
  },
  // Who sees which event is decided per event by the subscription's filter (published, or readable).
  Subscription: { recipeChanged: rules("Anyone") },
  Recipe: {
    id: rules("Anyone"),
    title: rules("Anyone"),
    ingredients: rules("Anyone"),
    steps: rules("Anyone"),
    published: rules("Anyone"),
    createdBy: rules("Anyone"),
    createdAt: rules("Anyone"),
  },
  User: {
    id: rules("Anyone"),
    username: rules("Anyone"),
    displayName: rules("Anyone"),
    email: rules("IsSelfOrAdmin"),
    permissions: rules("IsSelfOrAdmin"),
  },
  Permission: { name: rules("Anyone"), own: rules("Anyone"), rwd: rules("Anyone"), pw: rules("Anyone") },
  "*": { "*": rules("Deny") },
};

/**
 * Builds the authorization layer; every denial goes to `audit` (allowed decisions are not logged).
 * `introspection`: who may read `__schema` / `__type`; the app passes `"authenticated"` in
 * production (the schema is no map for anonymous visitors) and `"allow"` in development.
 */
export function createRecipesAuthz(options: {
  schema: GraphQLSchema;
  repository: RecipeRepository;
  audit: AuditSink;
  /** @default "authenticated" */
  introspection?: "allow" | "authenticated";
  subscriptions?: SubscriptionGuardOptions;
}): Authz {
  return createAuthz({
    schema: options.schema,
    rules: createRecipeRules(options.repository),
    authSchema: RECIPES_AUTH_SCHEMA,
    onDenied: "null",
    audit: options.audit,
    requireFullCoverage: true,
    introspection: options.introspection ?? "authenticated",
    subscriptions: options.subscriptions,
  });
}
