import type { Security, SecurityContext } from "../core/index.js";
import { authenticateNowOf } from "../core/create-security.js";
import { isPromiseLike, type PromiseOrValue } from "../core/sync-path.js";
import { authenticateRequestNow } from "./authenticate-request.js";
import type { CredentialSource } from "./credentials.js";
import { errorResponseInit } from "./error-response.js";

/** The request shape the middleware needs; Express and plain Node requests fit. */
export type SecurityRequest = CredentialSource & { security?: SecurityContext };

/** The response shape the middleware needs; Express and plain Node responses fit. */
export interface SecurityResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/** Options for {@link expressSecurity}. */
export interface ExpressSecurityOptions {
  /** Cookie holding a bearer token. @default undefined (cookies ignored) */
  cookieName?: string;
  /**
   * Sees unexpected errors (not gatehouse errors) before they are answered as a masked 500,
   * e.g. to log them. Must not throw.
   * @default undefined
   */
  onError?: (error: unknown) => void;
}

/**
 * Express (or Connect / plain Node) middleware: authenticates the request and
 * sets `req.security`. No credentials → anonymous context; invalid or
 * malformed credentials → 401 JSON with `WWW-Authenticate: Bearer error="invalid_token"`.
 * The handler never runs for a request whose credentials failed.
 * @example
 * app.use(expressSecurity(security));
 * app.get("/me", (req, res) => res.json(req.security.identity));
 */
export function expressSecurity(
  security: Security,
  options: ExpressSecurityOptions = {},
): (req: SecurityRequest, res: SecurityResponse, next: (error?: unknown) => void) => void {
  if (!security || typeof security.authenticate !== "function") {
    throw new TypeError("expressSecurity: `security` must come from createSecurity().");
  }
  const { cookieName, onError } = options;
  const authenticate = authenticateNowOf(security);
  const refuse = (res: SecurityResponse, error: unknown) => {
    const init = errorResponseInit(error);
    if (init.status === 500) safeCall(onError, error);
    sendError(res, init);
  };
  return (req, res, next) => {
    let ctx: PromiseOrValue<SecurityContext>;
    try {
      ctx = authenticateRequestNow(authenticate, req, { cookieName });
    } catch (error) {
      refuse(res, error);
      return;
    }
    // Decided without waiting (a cached token, a local key): the handler runs in this same turn.
    if (!isPromiseLike(ctx)) {
      req.security = ctx;
      next();
      return;
    }
    ctx.then(
      (security) => {
        req.security = security;
        next();
      },
      (error: unknown) => refuse(res, error),
    );
  };
}

/** Options for {@link expressErrorHandler}. */
export interface ExpressErrorHandlerOptions {
  /** Sees unexpected errors (not gatehouse errors) before the masked 500. Must not throw. @default undefined */
  onError?: (error: unknown) => void;
}

/**
 * Express error middleware, mounted after the routes: answers errors the
 * handlers pass to `next` as `withSecurity` does on Lambda, through
 * `errorResponseInit` (401 with its `WWW-Authenticate` challenge, 403, 429 with
 * `Retry-After`, JSON `{ error: { code, message } }`); anything else is a masked
 * 500 with no stack. Express's own fallback would send the status but no
 * challenge, and in development the stack trace.
 * @example
 * app.use(expressSecurity(security));
 * app.get("/recipes", handler);            // next(new NotAuthorizedError()) → 403
 * app.use(expressErrorHandler());
 */
export function expressErrorHandler(
  options: ExpressErrorHandlerOptions = {},
): (error: unknown, req: unknown, res: SecurityResponse & { headersSent?: boolean }, next: (error?: unknown) => void) => void {
  const { onError } = options;
  // Express recognises error middleware by its four parameters.
  return (error, _req, res, next) => {
    // Too late to answer: let Express close the connection.
    if (res.headersSent) return next(error);
    const init = errorResponseInit(error);
    if (init.status === 500) safeCall(onError, error);
    sendError(res, init);
  };
}

function sendError(res: SecurityResponse, init: ReturnType<typeof errorResponseInit>): void {
  res.statusCode = init.status;
  for (const [name, value] of Object.entries(init.headers)) res.setHeader(name, value);
  res.end(JSON.stringify(init.body));
}

/** @internal */
export function safeCall(fn: ((error: unknown) => void) | undefined, error: unknown): void {
  try {
    fn?.(error);
  } catch {
    // A broken logger must not change the response.
  }
}
