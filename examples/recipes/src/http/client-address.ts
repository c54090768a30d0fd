import type { IncomingMessage } from "node:http";

/**
 * The address a request came from, for rate limits and security logs.
 *
 * By default (`trustedProxyHops: 0`) it is the TCP peer's address: headers are
 * written by the client and `X-Forwarded-For: 1.2.3.4` would let anyone pick
 * a fresh address per request. Behind reverse proxies you control, set the
 * number of them (`TRUST_PROXY=1` for one load balancer): each appends the
 * address it saw to `X-Forwarded-For`, so the client is the entry that many
 * hops from the right (the socket address counting as the last one). Entries
 * further left were written by the client and are never used.
 */
export function clientAddress(req: IncomingMessage, trustedProxyHops = 0): string {
  const peer = normalise(req.socket?.remoteAddress ?? "") || "unknown";
  if (trustedProxyHops <= 0) return peer;
  const header = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : header ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const chain = [...forwarded, peer];
  // Fewer entries than trusted hops: the request did not come through every proxy; the leftmost is the best known.
  return normalise(chain[Math.max(0, chain.length - 1 - trustedProxyHops)]!) || peer;
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client; long junk is cut so it cannot bloat logs or keys. */
function normalise(address: string): string {
  const value = address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
  return value.slice(0, 64);
}

/**
 * Reads `TRUST_PROXY`: unset or empty → 0 (trust no header), a whole number of proxy hops otherwise.
 * @throws TypeError for anything else (e.g. `true`: say how many proxies there are).
 */
export function trustedProxyHopsFrom(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 0;
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) throw new TypeError("TRUST_PROXY must be the number of trusted reverse proxies (0-10).");
  return hops;
}
