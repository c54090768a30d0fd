// Both ways to authenticate one request, made comparable: the synchronous
// path (does it answer at once, and with what?) and the public promise.
import type { Credentials, Security, SecurityContext } from "gatehouse";
import { authenticateNowOf } from "../../src/core/create-security.js";
import { isPromiseLike, type PromiseOrValue } from "../../src/core/sync-path.js";

/** An error as code and message, comparable between the two paths. */
export const failureOf = (error: unknown): { code: string; message: string } => {
  const { code, message } = error as { code: string; message: string };
  return { code, message };
};

/** The synchronous path: whether it answered at once, and with what (`outcomeOf` a context, or the failure). */
export async function viaNow<T>(security: Security, credentials: Credentials, outcomeOf: (ctx: SecurityContext) => T): Promise<{ immediate: boolean; outcome: T | { code: string; message: string } }> {
  let result: PromiseOrValue<SecurityContext>;
  try {
    result = authenticateNowOf(security)(credentials);
  } catch (error) {
    return { immediate: true, outcome: failureOf(error) };
  }
  if (!isPromiseLike(result)) return { immediate: true, outcome: outcomeOf(result) };
  return result.then(
    (ctx) => ({ immediate: false, outcome: outcomeOf(ctx) }),
    (error: unknown) => ({ immediate: false, outcome: failureOf(error) }),
  );
}

/** The public path, `security.authenticate`. */
export const viaPromise = <T>(security: Security, credentials: Credentials, outcomeOf: (ctx: SecurityContext) => T): Promise<T | { code: string; message: string }> =>
  security.authenticate(credentials).then(outcomeOf, failureOf);
