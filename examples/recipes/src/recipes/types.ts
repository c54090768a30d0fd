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
