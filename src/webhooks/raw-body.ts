/**
 * Getting the raw body, which every signature is computed over, from Fetch
 * `Request`s (Yoga, Hono, Workers), Node/Express requests and AWS Lambda events.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { WebhookVerificationError } from "../core/index.js";
import { decodeBase64, fail } from "./input.js";

const DEFAULT_LIMIT = 1024 * 1024;

/** Options of {@link readRawBody}. */
export interface ReadRawBodyOptions {
  /**
   * Largest body accepted, in bytes; a larger one rejects with a `RangeError` (answer 413).
   * @default 1048576 (1 MiB)
   */
  limitBytes?: number;
}

/** Options of {@link expressRawBody}. */
export type ExpressRawBodyOptions = ReadRawBodyOptions;

/** A Node request that may already carry its raw body (from {@link expressRawBody} or `express.raw()`). */
type NodeRequest = IncomingMessage & { rawBody?: unknown; body?: unknown };

/** An Express/Connect-compatible middleware. */
export type RawBodyMiddleware = (
  req: IncomingMessage & { rawBody?: Uint8Array },
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** The part of an API Gateway / Lambda function URL event that holds the body. */
export interface LambdaBodyEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
}

function resolveLimit(options: ReadRawBodyOptions | undefined): number {
  const limit = options?.limitBytes ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError("readRawBody: `limitBytes` must be a positive integer.");
  return limit;
}

function tooLarge(limit: number): RangeError {
  return new RangeError(`Request body exceeds the ${limit}-byte limit.`);
}

function isFetchRequest(request: unknown): request is Request {
  return typeof request === "object" && request !== null && "bodyUsed" in request && typeof (request as Request).arrayBuffer === "function";
}

async function readFetchBody(request: Request, limit: number): Promise<Uint8Array> {
  if (request.bodyUsed) fail("payload_not_raw", "Request body was already read; read the raw body before parsing it.");
  if (Number(request.headers.get("content-length") ?? 0) > limit) throw tooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function readNodeBody(req: NodeRequest, limit: number): Promise<Uint8Array> {
  if (req.rawBody instanceof Uint8Array) return Promise.resolve(new Uint8Array(req.rawBody));
  if (req.readableEnded || req.readableDidRead) {
    // express.raw() leaves the bytes in req.body; any other parser left nothing we can verify.
    if (req.body instanceof Uint8Array) return Promise.resolve(new Uint8Array(req.body));
    return Promise.reject(
      new WebhookVerificationError("payload_not_raw", "Request body was already parsed; mount the raw-body reader first."),
    );
  }
  if (Number(req.headers["content-length"] ?? 0) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      total += buf.byteLength;
      if (total > limit) {
        cleanup();
        // Stop reading; the caller answers 413 and the connection is closed.
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error("Request closed before its body was fully received."));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

/**
 * Reads the raw body of a Fetch `Request` or a Node `IncomingMessage`, up to
 * `limitBytes`. A Node request that already carries `rawBody` (from
 * {@link expressRawBody}) or a `Buffer` `body` (from `express.raw()`) is reused.
 * @throws WebhookVerificationError `payload_not_raw` when the body was already consumed by a parser
 * @throws RangeError when the body is larger than `limitBytes`
 * @example
 * const payload = await readRawBody(request);
 * await verifyWebhook("sha256", { payload, headers: request.headers, secret });
 */
export async function readRawBody(request: Request | IncomingMessage, options?: ReadRawBodyOptions): Promise<Uint8Array> {
  const limit = resolveLimit(options);
  if (isFetchRequest(request)) return readFetchBody(request, limit);
  if (typeof request === "object" && request !== null && typeof (request as IncomingMessage).on === "function") {
    return readNodeBody(request as NodeRequest, limit);
  }
  throw new TypeError("readRawBody: pass a Fetch Request or a Node IncomingMessage.");
}

/**
 * Express middleware that stores the raw body on `req.rawBody` (a `Uint8Array`)
 * and leaves `req.body` alone. Mount it on the webhook route only, before any
 * body parser. `express.raw({ type: "*\/*" })` works too: `readRawBody` reuses its `req.body`.
 * @throws TypeError when `limitBytes` is invalid
 * @example
 * app.post("/webhooks", expressRawBody(), async (req, res) => {
 *   await verifyWebhook("sha256", { payload: req.rawBody!, headers: req.headers, secret });
 * });
 */
export function expressRawBody(options?: ExpressRawBodyOptions): RawBodyMiddleware {
  const limit = resolveLimit(options);
  return (req, _res, next) => {
    readRawBody(req, { limitBytes: limit }).then(
      (body) => {
        req.rawBody = body;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

/**
 * The raw body of an API Gateway / Lambda function URL event, decoding it
 * when `isBase64Encoded` is set (binary media types). A missing body is empty
 * (which `verifyWebhook` rejects).
 * @throws WebhookVerificationError `payload_not_raw` when a base64 body is not valid base64
 * @example
 * export const handler = async (event) => {
 *   await verifyWebhook("standard", { payload: lambdaRawBody(event), headers: event.headers, secret });
 * };
 */
export function lambdaRawBody(event: LambdaBodyEvent): Uint8Array {
  if (typeof event !== "object" || event === null) throw new TypeError("lambdaRawBody: pass the Lambda event.");
  const body = event.body ?? "";
  if (typeof body !== "string") fail("payload_not_raw", "Lambda event body must be a string.");
  if (!event.isBase64Encoded) return new TextEncoder().encode(body);
  if (body === "") return new Uint8Array(0);
  const bytes = decodeBase64(body);
  if (bytes === undefined) fail("payload_not_raw", "Lambda event body is not valid base64.");
  return new Uint8Array(bytes);
}
