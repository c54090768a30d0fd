import { useCan, useSecurity } from "gatehouse/react";
import { RecipePermissions } from "../../shared/permissions.js";
import type { Recipe } from "./api.js";

/**
 * Why the page offers no Edit/Delete for a recipe, in words: a visitor must
 * sign in; an author may change only their own recipes; other roles cannot
 * change recipes at all. Nothing while the checks resolve, nothing when allowed.
 */
export function WhyNotEditable({ recipe }: { recipe: Recipe }) {
  const { isAuthenticated } = useSecurity();
  const onThis = useCan(RecipePermissions, "recipe", "edit", recipe);
  // Under an "own" permission, editing without an item is allowed: the item decides.
  const onSome = useCan(RecipePermissions, "recipe", "edit");
  if (onThis !== false) return null;
  const text = !isAuthenticated
    ? "Sign in to edit or delete recipes."
    : onSome
      ? "Only the author can edit or delete this recipe."
      : "Your role cannot edit recipes.";
  return <p className="why-not">{text}</p>;
}

/** Why there is no "New recipe" button. */
export function WhyNotCreate() {
  const { isAuthenticated } = useSecurity();
  const allowed = useCan(RecipePermissions, "recipe", "create");
  if (allowed !== false) return null;
  return <p className="why-not">{isAuthenticated ? "Your role cannot add recipes." : "Sign in to add a recipe."}</p>;
}
