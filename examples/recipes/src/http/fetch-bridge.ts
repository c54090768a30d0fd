import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "./body.js";
import { isEventStream, sendEventStream } from "./event-stream.js";
import { BASE_HEADERS, sendJson } from "./respond.js";

/** A Fetch-style handler, such as `yoga.fetch`. */
export type FetchHandler = (request: Request) => Promise<Response> | Response;

/**
 * Serves a Fetch handler from node:http, reading the body ourselves first so
 * the same size limit applies to `/graphql` as to every other route.
 * @throws RangeError when the body is over the limit (answered 413 by the caller).
 */
export async function serveFetch(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
  // From rawHeaders, not req.headers: Node drops duplicate Authorization headers, and two of them
  // must reach the authenticator (as one joined value) to be refused as ambiguous.
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  if (body && isJson(headers.get("content-type")) && !parses(body)) {
    // Answered here, GraphQL-shaped: Yoga's own answer echoes the body back in `extensions.originalError`.
    sendJson(res, 400, { errors: [{ message: "POST body sent invalid JSON.", extensions: { code: "BAD_REQUEST" } }] });
    return;
  }
  const request = new Request(new URL(req.url ?? "/", origin), { method, headers, body: body ? Buffer.from(body) : undefined });
  const response = await handler(request);
  // Subscriptions over SSE stream; everything else is buffered below.
  if (isEventStream(response)) return sendEventStream(response, res);

  // Buffered, not streamed: Yoga may answer with its own (ponyfilled) streams, and no route here streams.
  const payload = method === "HEAD" ? undefined : Buffer.from(await response.arrayBuffer());
  const outHeaders: Record<string, string | string[]> = { ...BASE_HEADERS };
  response.headers.forEach((value, header) => {
    // Names compared lower-cased: some Response implementations keep "Content-Length" as written, and a
    // second copy of it (ours below) makes strict clients such as undici refuse the response. CORS is the
    // app's allowlist (`extraHeaders`), never the handler's own reflection of the Origin.
    const name = header.toLowerCase();
    if (name !== "set-cookie" && name !== "content-length" && !name.startsWith("access-control-")) outHeaders[name] = value;
  });
  Object.assign(outHeaders, extraHeaders);
  const cookies = typeof response.headers.getSetCookie === "function" ? response.headers.getSetCookie() : [];
  if (cookies.length > 0) outHeaders["set-cookie"] = cookies;
  // None on 204/304 (RFC 9110 §8.6); exactly one otherwise.
  if (payload && response.status !== 204 && response.status !== 304) outHeaders["content-length"] = String(payload.byteLength);
  res.writeHead(response.status, outHeaders);
  res.end(payload);
}

function isJson(contentType: string | null): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}

function parses(body: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(body).toString("utf8"));
    return true;
  } catch {
    return false;
  }
}
