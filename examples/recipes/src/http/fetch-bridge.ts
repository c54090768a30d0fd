import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { readBody } from "./body.js";
import { BASE_HEADERS } from "./respond.js";

/** A Fetch-style handler, such as `yoga.fetch`. */
export type FetchHandler = (request: Request) => Promise<Response> | Response;

/**
 * Serves a Fetch handler from node:http, reading the body ourselves first so
 * the same size limit applies to `/graphql` as to every other route.
 * @throws RangeError when the body is over the limit (answered 413 by the caller).
 */
export async function serveFetch(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const request = new Request(new URL(req.url ?? "/", origin), { method, headers, body: body ? Buffer.from(body) : undefined });
  const response = await handler(request);

  const outHeaders: Record<string, string | string[]> = { ...BASE_HEADERS };
  response.headers.forEach((value, name) => {
    outHeaders[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outHeaders["set-cookie"] = cookies;
  res.writeHead(response.status, outHeaders);
  if (!response.body || method === "HEAD") {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as import("node:stream/web").ReadableStream)
      .on("error", reject)
      .pipe(res)
      .on("finish", resolve)
      .on("error", reject);
  });
}
