/** The example's own error codes, besides gatehouse's (`UNAUTHENTICATED`, `FORBIDDEN`, ...). */
export type RecipeErrorCode = "NOT_FOUND" | "BAD_USER_INPUT";

/** A domain error with a stable code; the GraphQL layer turns it into `extensions.code`. */
export class RecipeError extends Error {
  readonly code: RecipeErrorCode;
  constructor(code: RecipeErrorCode, message: string) {
    super(message);
    this.name = "RecipeError";
    this.code = code;
  }
}

export function notFound(): RecipeError {
  return new RecipeError("NOT_FOUND", "Recipe not found.");
}

export function badInput(message: string): RecipeError {
  return new RecipeError("BAD_USER_INPUT", message);
}
