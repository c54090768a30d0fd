import type { ServerResponse } from "node:http";
import { isGatehouseError } from "gatehouse";
import { errorResponseInit } from "gatehouse/http";

/** Headers every response carries: no sniffing, no framing, no caching of API answers. */
export const BASE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
});

/** Writes a JSON body with the base headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    "cache-control": "no-store",
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** `{"error":{"code","message"}}` with the given status; the message must be safe to show. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

/**
 * Answers for any thrown value: gatehouse errors keep their status and code
 * (401 + WWW-Authenticate, 429 + Retry-After, ...); body-size errors are 413;
 * anything else is a masked 500 and goes to the log, never to the client.
 */
export function sendFailure(res: ServerResponse, error: unknown, log: (error: unknown) => void): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (isGatehouseError(error)) {
    const init = errorResponseInit(error);
    sendJson(res, init.status, init.body, headerRecord(init.headers));
    return;
  }
  if (error instanceof RangeError) {
    sendError(res, 413, "PAYLOAD_TOO_LARGE", "Request body too large.", { connection: "close" });
    return;
  }
  if (error instanceof HttpError) {
    sendError(res, error.status, error.code, error.message);
    return;
  }
  log(error);
  sendError(res, 500, "INTERNAL_SERVER_ERROR", "Unexpected error.");
}

/** A client error the handlers raise on purpose (400, 404, 405, 415). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

function headerRecord(headers: unknown): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  return Object.fromEntries(Object.entries(headers as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]));
}
