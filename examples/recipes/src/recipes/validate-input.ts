import { badInput } from "./errors.js";
import type { RecipeInput } from "./types.js";

const NUL = "\u0000";

/** Limits on one recipe; generous for real recipes, small enough to keep rows bounded. */
export const RECIPE_LIMITS = Object.freeze({ titleMax: 200, itemsMax: 100, itemMax: 1000 });

/**
 * Trims and checks a recipe input. GraphQL already enforced the types; this
 * enforces sizes, non-empty text and no NUL characters (Postgres text cannot
 * store them, so they would otherwise fail in SQL as an internal error).
 * @throws RecipeError `BAD_USER_INPUT` naming the field to fix (never echoing its value).
 */
export function validateRecipeInput(input: RecipeInput): RecipeInput {
  const title = input.title.trim();
  if (title.length === 0 || title.length > RECIPE_LIMITS.titleMax) {
    throw badInput(`title must be 1-${RECIPE_LIMITS.titleMax} characters.`);
  }
  if (title.includes(NUL)) throw badInput("title must not contain NUL (\\u0000) characters.");
  return { title, ingredients: checkList("ingredients", input.ingredients), steps: checkList("steps", input.steps) };
}

function checkList(field: string, list: readonly string[]): string[] {
  if (list.length > RECIPE_LIMITS.itemsMax) throw badInput(`${field} may hold at most ${RECIPE_LIMITS.itemsMax} entries.`);
  const out = list.map((item) => item.trim());
  if (out.some((item) => item.length === 0 || item.length > RECIPE_LIMITS.itemMax)) {
    throw badInput(`each entry of ${field} must be 1-${RECIPE_LIMITS.itemMax} characters.`);
  }
  if (out.some((item) => item.includes(NUL))) throw badInput(`entries of ${field} must not contain NUL (\\u0000) characters.`);
  return out;
}
