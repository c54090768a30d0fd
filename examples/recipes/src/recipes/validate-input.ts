import { badInput } from "./errors.js";
import type { RecipeInput } from "./types.js";

/** Limits on one recipe; generous for real recipes, small enough to keep rows bounded. */
export const RECIPE_LIMITS = Object.freeze({ titleMax: 200, itemsMax: 100, itemMax: 1000 });

/**
 * Trims and checks a recipe input. GraphQL already enforced the types; this
 * enforces sizes and non-empty text.
 * @throws RecipeError `BAD_USER_INPUT` naming the field to fix (never echoing its value).
 */
export function validateRecipeInput(input: RecipeInput): RecipeInput {
  const title = input.title.trim();
  if (title.length === 0 || title.length > RECIPE_LIMITS.titleMax) {
    throw badInput(`title must be 1-${RECIPE_LIMITS.titleMax} characters.`);
  }
  return { title, ingredients: checkList("ingredients", input.ingredients), steps: checkList("steps", input.steps) };
}

function checkList(field: string, list: readonly string[]): string[] {
  if (list.length > RECIPE_LIMITS.itemsMax) throw badInput(`${field} may hold at most ${RECIPE_LIMITS.itemsMax} entries.`);
  const out = list.map((item) => item.trim());
  if (out.some((item) => item.length === 0 || item.length > RECIPE_LIMITS.itemMax)) {
    throw badInput(`each entry of ${field} must be 1-${RECIPE_LIMITS.itemMax} characters.`);
  }
  return out;
}
