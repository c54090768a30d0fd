import { createPubSub } from "graphql-yoga";
import type { RecipeRepository } from "./repository.js";
import type { Recipe } from "./types.js";

/** In-process fan-out of recipe changes to this node's subscribers. */
export type RecipeEvents = ReturnType<typeof createRecipeEvents>;

/** The channel `recipeChanged` subscriptions listen on. */
export function createRecipeEvents() {
  return createPubSub<{ recipeChanged: [Recipe] }>();
}

/**
 * The repository, announcing every create, update, publish and unpublish that took effect.
 * Deletes are not announced: a deleted recipe has nothing left to show. Who may see an event
 * is decided per subscriber when it is delivered, not here.
 */
export function withRecipeEvents(repository: RecipeRepository, events: RecipeEvents): RecipeRepository {
  const announce = (recipe: Recipe | null): Recipe | null => {
    if (recipe) events.publish("recipeChanged", recipe);
    return recipe;
  };
  return {
    ...repository,
    async create(input, createdBy, options) {
      return announce(await repository.create(input, createdBy, options))!;
    },
    async update(id, input) {
      return announce(await repository.update(id, input));
    },
    async setPublished(id, published) {
      return announce(await repository.setPublished(id, published));
    },
  };
}
