/** What the log may say about a failure: never the whole error object. */
export interface ErrorSummary {
  name: string;
  /** The driver's or library's stable code (a Postgres SQLSTATE such as `22021`), when it has one. */
  code?: string;
  message: string;
}

const MAX_MESSAGE = 500;

/**
 * Reduces a thrown value to its name, code and message for logging. Database
 * drivers attach the SQL text, its `params` (user input, password hashes),
 * `detail` (`Key (username)=(joe)`) and more as enumerable properties, which
 * pino's `err` serializer would write out in full; none of that is kept.
 * The cause chain is dropped for the same reason; a GraphQL error is
 * summarised by the error it wraps.
 */
export function summarizeError(error: unknown): ErrorSummary {
  if (!(error instanceof Error)) return { name: typeof error, message: "A non-Error value was thrown." };
  // A resolver's failure reaches the log wrapped in a GraphQLError; the driver's code is on the original.
  const original = (error as { originalError?: unknown }).originalError;
  if (original instanceof Error && original !== error) return summarizeError(original);
  const code = (error as { code?: unknown }).code;
  const summary: ErrorSummary = { name: error.name, message: error.message.slice(0, MAX_MESSAGE) };
  if (typeof code === "string" || typeof code === "number") summary.code = String(code);
  return summary;
}
