import { useEffect, useRef } from "react";
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

/**
 * An error announced to screen readers as soon as it appears. With `focus`,
 * keyboard focus moves to it too, so after a refused action the user lands
 * on the reason rather than on a button that no longer explains anything.
 */
export function ErrorAlert({ error, focus = false }: { error: unknown; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus && error != null) ref.current?.focus();
  }, [error, focus]);
  if (error == null) return null;
  const { title, detail } = describeError(error);
  return (
    <div role="alert" className="alert" ref={ref} tabIndex={-1}>
      <strong>{title}</strong>
      {detail && <div>{detail}</div>}
    </div>
  );
}
