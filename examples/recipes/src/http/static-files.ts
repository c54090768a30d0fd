import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { BASE_HEADERS, sendError } from "./respond.js";

const TYPES: Readonly<Record<string, string>> = Object.freeze({
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
});

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gatehouse recipes</title></head>
<body><h1>gatehouse recipes API</h1>
<p>GraphQL: <a href="/graphql">/graphql</a> · JWKS: <a href="/.well-known/jwks.json">/.well-known/jwks.json</a></p>
<p>Log in with <code>POST /auth/login {"username":"joe","password":"joe-password"}</code>.</p>
</body></html>`;

/**
 * Serves the web page's build (`examples/recipes/web/dist`) when it exists,
 * else a small page pointing at the API. Paths are resolved inside the root
 * only (no `..` escapes, no dotfiles); unknown paths without an extension get
 * `index.html` so client-side routes work.
 */
export function createStaticHandler(root: string): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  const base = resolve(root);
  return async (req, res, pathname) => {
    const file = await findFile(base, pathname);
    if (!file) {
      if (pathname === "/" || pathname === "/index.html") return send(req, res, 200, TYPES[".html"]!, Buffer.from(FALLBACK_PAGE));
      return sendError(res, 404, "NOT_FOUND", "Not found.");
    }
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    return send(req, res, 200, type, await readFile(file));
  };
}

async function findFile(base: string, pathname: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.split("/").some((part) => part.startsWith("."))) return null;
  const candidate = resolve(join(base, normalize(decoded)));
  if (candidate !== base && !candidate.startsWith(base + sep)) return null;
  if (await isFile(candidate)) return candidate;
  const index = join(candidate, "index.html");
  if (await isFile(index)) return index;
  // Client-side routes (no extension) fall back to the app shell.
  if (extname(candidate) === "" && (await isFile(join(base, "index.html")))) return join(base, "index.html");
  return null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: Buffer): void {
  res.writeHead(status, { ...BASE_HEADERS, "content-type": type, "content-length": body.byteLength });
  res.end(req.method === "HEAD" ? undefined : body);
}
