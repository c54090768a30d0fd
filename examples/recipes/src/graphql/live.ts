import { filter, pipe } from "graphql-yoga";
import { NotAuthorizedError, type Security, type SecurityContext } from "gatehouse";
import { preExecRule, toGraphQLError, type SubscriptionGuardOptions } from "gatehouse/graphql";
import { authenticateRequest } from "gatehouse/http";
import { normalizeUsername, watchIdentity, type Store, type User } from "gatehouse/store";
import type { Logger } from "pino";
import { RecipePermissions } from "../../shared/permissions.js";
import type { RecipeEvents } from "../recipes/recipe-events.js";
import type { Recipe } from "../recipes/types.js";
import { summarizeError } from "../http/error-summary.js";
import type { RecipesContext } from "./context.js";

/** Admins hold `*`: they may end anyone's sessions. */
export const IsAdmin = preExecRule({ name: "IsAdmin" })((context: RecipesContext) => context.security.hasFullAccess());

/** Whether `security` may read `recipe` now: published ones are public, drafts follow the use cases' rule. */
export async function mayRead(security: SecurityContext, recipe: Recipe): Promise<boolean> {
  if (recipe.published) return true;
  const perms = RecipePermissions.for(security);
  return (await perms.canRead("recipe")) && (await perms.canAccess("recipe", recipe));
}

/**
 * `Mutation.revokeSessions` and `Subscription.recipeChanged`. The subscription filters each
 * event with the subscriber's security context as it is at that moment (the guard below swaps
 * it in place when access changes), so it never carries a recipe the subscriber may not read.
 */
export function createLiveResolvers(services: { store: Store; events: RecipeEvents }) {
  return {
    Mutation: {
      async revokeSessions(_p: unknown, { username }: { username: string }, context: RecipesContext): Promise<boolean> {
        // Defense in depth: the IsAdmin rule already ran.
        if (!context.security.hasFullAccess()) throw toGraphQLError(new NotAuthorizedError());
        const user = await userByUsername(services.store, username);
        if (!user) return false;
        await services.store.revokeSessions(user.id);
        return true;
      },
    },
    Subscription: {
      recipeChanged: {
        subscribe: (_p: unknown, _a: unknown, context: RecipesContext) =>
          pipe(
            services.events.subscribe("recipeChanged"),
            filter((recipe: Recipe) => mayRead(context.security, recipe)),
          ),
        resolve: (recipe: Recipe) => recipe,
      },
    },
  };
}

/**
 * The user with this username, spelled as logins spell it. `users.get` also finds ids and prefers
 * them, so a username that spells another user's id would find that other user: then the list decides.
 */
async function userByUsername(store: Store, username: string): Promise<User | null> {
  const key = normalizeUsername(username);
  const found = await store.users.get(username);
  if (!found || normalizeUsername(found.username) === key) return found;
  return (await store.users.list()).find((user) => normalizeUsername(user.username) === key) ?? null;
}

/** How much of the recipes a caller may read: 0 published only, 1 also its own drafts, 2 every draft. */
async function readScope(security: SecurityContext): Promise<0 | 1 | 2> {
  const perms = RecipePermissions.for(security);
  if (!(await perms.canRead("recipe"))) return 0;
  return (await perms.onlyOwnRecords("recipe")) ? 1 : 2;
}

/**
 * Re-judges running subscriptions: on any store change that may alter the subscriber's access
 * (role, assignment, revoked session), the request is authenticated again and the context's
 * `security` replaced in place (the event filter reads it). A revoked token ends the stream with
 * `INVALID_CREDENTIALS`; a subscriber who may now read less than before (a role taken away)
 * is cut off with `FORBIDDEN`, so no client keeps a view it no longer has (it may subscribe
 * again and gets what it may read now). More access goes on silently.
 */
export function subscriptionGuard(security: Security, store: Store, logger: Logger): SubscriptionGuardOptions<RecipesContext & { request?: Request }> {
  return {
    watch: (context, changed) => watchIdentity(store, context.security.identity, changed),
    async refresh(context) {
      // Yoga always puts the request there; without it, access cannot be re-checked: end the stream.
      if (!context.request) throw new Error("No request to authenticate again.");
      const fresh = await authenticateRequest(security, context.request);
      if ((await readScope(fresh)) < (await readScope(context.security))) {
        throw new NotAuthorizedError("Your access to recipes changed; subscribe again.");
      }
      context.security = fresh;
      return context;
    },
    onError: (error) => logger.error({ error: summarizeError(error) }, "subscription re-check failed"),
  };
}
