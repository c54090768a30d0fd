import { ApiError } from "./api.js";

/** Plain-language explanations for the API's stable error codes. */
const explanations: Record<string, string> = {
  FORBIDDEN: "You are not allowed to do that. The server refused it (FORBIDDEN).",
  UNAUTHENTICATED: "You need to log in first (UNAUTHENTICATED).",
  INVALID_CREDENTIALS: "Wrong username or password.",
};

/** What went wrong, as one readable sentence plus the server's own message. */
export function describeError(error: unknown): { title: string; detail: string | null } {
  if (error instanceof ApiError) {
    const title = explanations[error.code] ?? `Something went wrong (${error.code}).`;
    return { title, detail: error.message && error.message !== title ? error.message : null };
  }
  return { title: "The server could not be reached.", detail: null };
}

/** An error announced to screen readers as soon as it appears. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (error == null) return null;
  const { title, detail } = describeError(error);
  return (
    <div role="alert" className="alert">
      <strong>{title}</strong>
      {detail && <div>{detail}</div>}
    </div>
  );
}
