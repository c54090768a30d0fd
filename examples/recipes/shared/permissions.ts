// The one permission schema of the recipes example, imported by the API and the web page alike.
import { createPermissions } from "gatehouse";

export const RecipePermissions = createPermissions({
  prefix: "recipes",
  fullAccess: { name: "recipes.*" },
  entities: [
    {
      id: "recipe",
      permission: "recipes.recipe",
      scopes: ["full", "own"],
      actions: [{ name: "rwd" }, { name: "pw" }],
    },
  ],
} as const);

export type RecipeEntity = "recipe";
