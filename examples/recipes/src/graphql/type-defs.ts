/** The public schema of the recipes API (clients and the access matrix depend on it: change it deliberately). */
export const typeDefs = /* GraphQL */ `
  type Query {
    "The caller, or null when anonymous."
    me: User
    "Published recipes, plus the drafts the caller may read."
    recipes: [Recipe!]!
    "One recipe; a draft the caller may not read is null with an error."
    recipe(id: ID!): Recipe
  }

  type Mutation {
    createRecipe(input: RecipeInput!): Recipe!
    updateRecipe(id: ID!, input: RecipeInput!): Recipe!
    deleteRecipe(id: ID!): Boolean!
    publishRecipe(id: ID!): Recipe!
    "Admins only: refuses every token of that user issued so far, on every node. False for an unknown username."
    revokeSessions(username: String!): Boolean!
  }

  type Subscription {
    "Creates, updates, publishes and unpublishes of recipes the subscriber may read at that moment (anonymous: published ones). Deletes are not sent."
    recipeChanged: Recipe!
  }

  input RecipeInput {
    title: String!
    ingredients: [String!]!
    steps: [String!]!
  }

  type Recipe {
    id: ID!
    title: String!
    ingredients: [String!]!
    steps: [String!]!
    published: Boolean!
    createdBy: User!
    createdAt: String!
  }

  type User {
    id: ID!
    username: String!
    displayName: String!
    "Only the user themself or an admin."
    email: String
    "Only the user themself or an admin."
    permissions: [Permission!]
  }

  type Permission {
    name: String!
    own: Boolean
    rwd: String
    pw: String
  }
`;
