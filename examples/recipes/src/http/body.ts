import type { IncomingMessage } from "node:http";
import { readRawBody } from "gatehouse/webhooks";
import { HttpError } from "./respond.js";

/** Largest request body any route accepts: 100 KB. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/** Reads the raw body up to `limitBytes`. @throws RangeError when larger (answered 413). */
export async function readBody(req: IncomingMessage, limitBytes = BODY_LIMIT_BYTES): Promise<Uint8Array> {
  return readRawBody(req, { limitBytes });
}

/**
 * Parses a JSON object body. The content type is not insisted on (clients
 * often omit it); the body must parse as a JSON object either way.
 * @throws HttpError 400 when malformed or not an object.
 */
export function parseJsonObject(raw: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw).toString("utf8"));
  } catch {
    throw new HttpError(400, "BAD_REQUEST", "Malformed JSON body.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, "BAD_REQUEST", "The body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}
