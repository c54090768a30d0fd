// What `gatehouse check` and `gatehouse matrix` inspect: the schema, its rules and the roles.
//   node --import tsx src/cli/main.ts check examples/recipes/src/graphql/project.ts
import { SEED_ROLES } from "../db/seed.js";
import type { RecipeRepository } from "../recipes/repository.js";
import { createRecipeRules, RECIPES_AUTH_SCHEMA } from "./authz.js";
import { typeDefs } from "./type-defs.js";

// Static analysis never runs a rule body; a repository that is asked anything is a bug.
const offline: RecipeRepository = new Proxy({} as RecipeRepository, {
  get() {
    throw new Error("The recipes repository is not available to static analysis.");
  },
});

export const schema = typeDefs;
export const rules = createRecipeRules(offline);
export const authSchema = RECIPES_AUTH_SCHEMA;
export const roles = Object.fromEntries(SEED_ROLES.map((r) => [r.slug, r.permissions]));
