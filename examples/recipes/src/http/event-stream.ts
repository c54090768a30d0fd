import type { ServerResponse } from "node:http";
import { BASE_HEADERS } from "./respond.js";

/** Whether a Fetch response is a server-sent event stream (a GraphQL subscription over SSE). */
export function isEventStream(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").toLowerCase().startsWith("text/event-stream");
}

/**
 * Writes an event stream as it comes: each event reaches the client at once, and the stream
 * (with the subscription behind it) is cancelled when the client goes away.
 */
export async function sendEventStream(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = { ...BASE_HEADERS };
  response.headers.forEach((value, name) => {
    if (name !== "content-length" && name !== "set-cookie") headers[name] = value;
  });
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body?.getReader();
  if (!reader) {
    res.end();
    return;
  }
  res.on("close", () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      res.write(value);
    }
  } catch {
    // The client left or the stream broke: nothing more to send.
  } finally {
    res.end();
  }
}
