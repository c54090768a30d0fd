// A small client for GraphQL subscriptions over SSE (Yoga's "distinct connections" mode).

/** One server-sent event: `next` carries an execution result, `complete` ends the stream. */
export interface SseEvent {
  event: string;
  data: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> } | null;
}

export interface SseSubscription {
  status: number;
  /** The next event, or `null` when none came within `timeoutMs` or the stream ended. */
  next(timeoutMs?: number): Promise<SseEvent | null>;
  /** Every event received so far and not yet taken by `next`. */
  readonly buffered: SseEvent[];
  ended(): boolean;
  close(): void;
}

/** Opens `subscription` at `url`/graphql with an optional bearer token; resolves once the response headers are in. */
export async function subscribeSse(url: string, query: string, token?: string): Promise<SseSubscription> {
  const abort = new AbortController();
  const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query }), signal: abort.signal });
  const buffered: SseEvent[] = [];
  let waiter: (() => void) | null = null;
  let done = false;
  const wake = () => {
    const w = waiter;
    waiter = null;
    w?.();
  };
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    try {
      for (;;) {
        const { done: end, value } = await reader.read();
        if (end) break;
        text += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = text.indexOf("\n\n")) >= 0) {
          const frame = text.slice(0, cut);
          text = text.slice(cut + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of frame.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).trim());
          }
          if (frame.startsWith(":")) continue; // keep-alive comment
          buffered.push({ event, data: data.length > 0 && data.join("") !== "" ? JSON.parse(data.join("\n")) : null });
          wake();
        }
      }
    } catch {
      // aborted
    } finally {
      done = true;
      wake();
    }
  })();
  return {
    status: res.status,
    buffered,
    ended: () => done,
    async next(timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (buffered.length === 0 && !done) {
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiter = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return buffered.shift() ?? null;
    },
    close: () => abort.abort(),
  };
}
