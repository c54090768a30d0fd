// The page's only network code: the example API's fixed HTTP contract (/auth/login, /graphql).

/** An error the API reported, with its stable code (FORBIDDEN, UNAUTHENTICATED, ...). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

// A type alias (not an interface) so a Recipe is an OwnableItem for useCan/<Can>.
export type Recipe = {
  id: string;
  title: string;
  ingredients: string[];
  steps: string[];
  published: boolean;
  createdAt: string;
  createdBy: { id: string; username: string; displayName: string | null };
};

export interface RecipeInput {
  title: string;
  ingredients: string[];
  steps: string[];
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  permissions: unknown[] | null;
}

interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>;
  } catch {
    throw new ApiError("BAD_RESPONSE", `The server answered ${response.status} without JSON.`);
  }
}

/** Exchanges a username and password for a bearer token. */
export async function login(username: string, password: string): Promise<string> {
  const response = await fetch("/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = await readJson(response);
  if (!response.ok || typeof body.token !== "string") {
    const code = (body.error as { code?: string } | undefined)?.code ?? "LOGIN_FAILED";
    throw new ApiError(code, code === "INVALID_CREDENTIALS" ? "Wrong username or password." : "Login failed.");
  }
  return body.token;
}

/**
 * Runs one GraphQL operation. Throws the first error of a failed top-level field
 * (a denied mutation, an unauthenticated query); nested field errors leave `null`s.
 * `token` null sends no `Authorization` header (anonymous).
 */
export async function graphql<T>(token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  // No token: an anonymous request, which may read published recipes.
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch("/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await readJson(response);
  const errors = (body.errors as GraphQLError[] | undefined) ?? [];
  const fatal = errors.find((e) => !e.path || e.path.length <= 1) ?? (body.data ? undefined : errors[0]);
  if (response.status === 401) throw new ApiError("UNAUTHENTICATED", "Your session has ended. Please log in again.");
  if (fatal) throw new ApiError(fatal.extensions?.code ?? "ERROR", fatal.message);
  if (!body.data) throw new ApiError("BAD_RESPONSE", `The server answered ${response.status} without data.`);
  return body.data as T;
}

const recipeFields = "id title ingredients steps published createdAt createdBy { id username displayName }";

export const queries = {
  me: "query Me { me { id username displayName permissions { name own rwd pw } } }",
  recipes: `query Recipes { recipes { ${recipeFields} } }`,
  create: `mutation Create($input: RecipeInput!) { createRecipe(input: $input) { ${recipeFields} } }`,
  update: `mutation Update($id: ID!, $input: RecipeInput!) { updateRecipe(id: $id, input: $input) { ${recipeFields} } }`,
  publish: `mutation Publish($id: ID!) { publishRecipe(id: $id) { ${recipeFields} } }`,
  remove: "mutation Delete($id: ID!) { deleteRecipe(id: $id) }",
} as const;
