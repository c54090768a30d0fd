/** A recipe as the use cases and resolvers see it. `createdBy` is the `{ id }` owner shape `createPermissions` checks ownership with. */
// A type alias (not an interface) so it fits gatehouse's index-signature OwnableItem.
export type Recipe = {
  id: string;
  title: string;
  ingredients: string[];
  steps: string[];
  published: boolean;
  createdBy: { id: string };
  createdAt: string;
  updatedAt: string;
};

/** What a client may set on a recipe. */
export interface RecipeInput {
  title: string;
  ingredients: string[];
  steps: string[];
}

/** Filter for listing: published ones, plus drafts by `draftsBy` (an identity id) or every draft (`"*"`). */
export interface RecipeListWhere {
  /** Which drafts to include besides the published recipes: none, one author's, or all. */
  drafts: { kind: "none" } | { kind: "own"; createdBy: string } | { kind: "all" };
}
