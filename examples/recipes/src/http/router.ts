import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./respond.js";

/** A route handler; `pathname` is the request path without the query string. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void>;

/** One route: an exact path (or a fallback), the methods it answers, its handler. */
export interface Route {
  path: string;
  methods: readonly string[];
  handler: RouteHandler;
}

/**
 * A tiny exact-path router: unknown paths go to `fallback`, a known path with
 * another method is 405 with `Allow`. Errors propagate to the server's single error handler.
 */
export function createRouter(routes: readonly Route[], fallback: RouteHandler): RouteHandler {
  const byPath = new Map(routes.map((r) => [r.path, r]));
  return async (req, res, pathname) => {
    const route = byPath.get(pathname);
    if (!route) return fallback(req, res, pathname);
    const method = req.method ?? "GET";
    if (!route.methods.includes(method)) {
      res.setHeader("allow", route.methods.join(", "));
      throw new HttpError(405, "METHOD_NOT_ALLOWED", `Use ${route.methods.join(" or ")}.`);
    }
    return route.handler(req, res, pathname);
  };
}

/** The path of a request URL; malformed URLs are a 400. */
export function pathnameOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    throw new HttpError(400, "BAD_REQUEST", "Malformed URL.");
  }
}
