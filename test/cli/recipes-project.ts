// The recipes example as a `gatehouse matrix` project module: its schema,
// rules and auth schema, plus the permissions of each seeded role.
// docs/recipes-access-matrix.md is generated from it (see recipes-matrix.test.ts).
import { buildSchema } from "graphql";
import type { Permission } from "gatehouse";
import { RECIPES_AUTH_SCHEMA, createRecipeRules } from "../../examples/recipes/src/graphql/authz.js";
import { typeDefs } from "../../examples/recipes/src/graphql/type-defs.js";
import { SEED_ROLES } from "../../examples/recipes/src/db/seed.js";
import type { RecipeRepository } from "../../examples/recipes/src/recipes/repository.js";

export const schema = buildSchema(typeDefs);

// Item-aware rules load the recipe; with no data the answer depends on the
// item, so the stub throws and the matrix shows `depends`.
const noData = new Proxy({} as RecipeRepository, {
  get: () => () => {
    throw new Error("the access matrix has no data: the decision depends on the recipe");
  },
});

export const rules = createRecipeRules(noData);

export const authSchema = RECIPES_AUTH_SCHEMA;

export const roles: Record<string, Permission[]> = {
  anonymous: [],
  ...Object.fromEntries(SEED_ROLES.map((r) => [r.slug, r.permissions])),
};
