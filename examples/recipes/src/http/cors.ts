import type { IncomingMessage, ServerResponse } from "node:http";
import { BASE_HEADERS } from "./respond.js";

/** Methods and request headers a cross-origin page may use on `/graphql`. */
const ALLOW_METHODS = "GET, POST";
const ALLOW_HEADERS = "authorization, content-type, accept";
const MAX_AGE_SEC = "600";

/** The app's CORS decision for one origin allowlist. */
export interface CorsPolicy {
  /** The allowed origins, normalised (`https://app.example.com`). */
  readonly origins: ReadonlySet<string>;
  /** CORS headers for a request's `Origin`: empty unless it is allowed. */
  headersFor(req: IncomingMessage): Record<string, string>;
  /** Answers `OPTIONS` (preflight or plain): 200, an empty body, one `Content-Length: 0`. */
  answerOptions(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * Parses `CORS_ORIGINS`: comma-separated origins (`https://a.example,
 * http://localhost:5173`). Unset or empty → none: only the app's own origin
 * (same-origin) is served, which needs no CORS at all.
 * @throws TypeError for an entry that is not an http(s) origin, or for `*`
 *   (a wildcard would let any site read answers meant for the user).
 */
export function parseCorsOrigins(value: string | readonly string[] | undefined): string[] {
  const entries = typeof value === "string" ? value.split(",") : [...(value ?? [])];
  const origins: string[] = [];
  for (const raw of entries.map((e) => e.trim()).filter((e) => e !== "")) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new TypeError(`CORS_ORIGINS: ${JSON.stringify(raw)} is not an origin such as https://app.example.com.`);
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== raw.replace(/\/$/, "")) {
      throw new TypeError(`CORS_ORIGINS: ${JSON.stringify(raw)} must be scheme://host[:port] only (no path, no wildcard).`);
    }
    origins.push(url.origin);
  }
  return origins;
}

/**
 * An allowlist: a request whose `Origin` is listed gets it back in
 * `Access-Control-Allow-Origin` (with `Vary: Origin`); any other origin gets
 * no CORS header at all, so the browser keeps the answer from the page.
 * `Access-Control-Allow-Credentials` is never sent: the API authenticates
 * with a bearer header, not cookies, so no origin needs credentialed CORS.
 */
export function createCorsPolicy(allowed: readonly string[]): CorsPolicy {
  const origins: ReadonlySet<string> = new Set(allowed);

  function headersFor(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (typeof origin !== "string" || !origins.has(origin)) return origins.size > 0 ? { vary: "Origin" } : {};
    return { "access-control-allow-origin": origin, vary: "Origin" };
  }

  return {
    origins,
    headersFor,
    answerOptions(req, res) {
      const cors = headersFor(req);
      const preflight = cors["access-control-allow-origin"] !== undefined && typeof req.headers["access-control-request-method"] === "string";
      res.writeHead(200, {
        ...BASE_HEADERS,
        allow: `${ALLOW_METHODS}, OPTIONS`,
        ...cors,
        ...(preflight ? { "access-control-allow-methods": ALLOW_METHODS, "access-control-allow-headers": ALLOW_HEADERS, "access-control-max-age": MAX_AGE_SEC } : {}),
        // Exactly one, set here and nowhere else on this path.
        "content-length": "0",
      });
      res.end();
    },
  };
}
