import type { IncomingMessage, ServerResponse } from "node:http";
import { InvalidCredentialsError, RateLimitedError, type CounterStore } from "gatehouse";
import { createRateLimiter } from "gatehouse/http";
import { normalizeUsername, type Store } from "gatehouse/store";
import { parseJsonObject, readBody } from "../http/body.js";
import { clientAddress } from "../http/client-address.js";
import { HttpError, sendJson } from "../http/respond.js";
import type { SecurityEvent, SecurityEventLog } from "../http/security-events.js";
import { createHashGate, type HashGateOptions } from "./hash-gate.js";
import { TOKEN_TTL_SEC, type SigningKeys } from "./signing-keys.js";
import { slidingWindowCounterStore } from "./sliding-window-store.js";

/** Options for {@link createLoginHandler}. */
export interface LoginHandlerOptions {
  store: Store;
  keys: SigningKeys;
  /** Attempts allowed per username per window before 429. @default 10 */
  maxAttempts?: number;
  /** Attempts allowed per client address per window before 429. @default 100 */
  maxAttemptsPerAddress?: number;
  /** Length of the rate-limit windows, in seconds. @default 60 */
  windowSec?: number;
  /** Bounds concurrent password checks. @default createHashGate() (2 at once, one per address) */
  hashGate?: HashGateOptions;
  /** Reverse proxies whose `X-Forwarded-For` entry is trusted (see `clientAddress`). @default 0 */
  trustedProxyHops?: number;
  /** Where failed logins and 429s are written. @default none */
  events?: SecurityEventLog;
  /**
   * How long a flood signal (the per-address limit, or a second concurrent attempt from one
   * address) waits before its 429 is sent, in milliseconds. A flooding client's connections
   * then sit idle instead of cycling through cheap refusals as fast as the event loop allows.
   * @default 1000
   */
  refusalDelayMs?: number;
  /** Where attempts are counted, per username and per address; a shared store (Redis) makes both limits hold across nodes. @default sliding windows in this process */
  counters?: CounterStore;
}

const MAX_FIELD = 256;

/**
 * `POST /auth/login {"username","password"}` → `200 {"token","expiresIn"}`.
 * A wrong username or password is one answer (401 `INVALID_CREDENTIALS`), so
 * the response never tells which one was wrong. Limits, all answered 429
 * `RATE_LIMITED` with `Retry-After` before any password is hashed:
 * - more than `maxAttempts` attempts for one username (normalised with
 *   `normalizeUsername`, as the store looks it up) within the last `windowSec`
 *   (a sliding window), even with the right password, until they age out;
 * - more than `maxAttemptsPerAddress` attempts from one client address;
 * - a second concurrent attempt from one address, or a full line of password
 *   checks (see `createHashGate`).
 * Per process, unless `counters` is a shared store (Redis): then both counts hold across nodes.
 */
export function createLoginHandler(options: LoginHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { store, keys, events } = options;
  const limit = options.maxAttempts ?? 10;
  const perAddress = options.maxAttemptsPerAddress ?? 100;
  const windowSec = options.windowSec ?? 60;
  const limiter = createRateLimiter({ limit, windowSec, store: options.counters ?? slidingWindowCounterStore({ keep: limit + 1 }) });
  // With a shared store both limits hold across nodes; a per-node address limit would grow with the node count.
  const addressLimiter = createRateLimiter({ limit: perAddress, windowSec, store: options.counters ?? slidingWindowCounterStore({ keep: perAddress + 1 }) });
  const gate = createHashGate(options.hashGate);
  const hops = options.trustedProxyHops ?? 0;
  const refusalDelayMs = options.refusalDelayMs ?? 1000;
  const slowly = (error: unknown) => new Promise<never>((_, reject) => setTimeout(() => reject(error), refusalDelayMs));

  return async (req, res) => {
    const body = parseJsonObject(await readBody(req));
    const { username, password } = body;
    if (!isField(username) || !isField(password)) {
      throw new HttpError(400, "BAD_REQUEST", "Send {\"username\": string, \"password\": string}.");
    }
    const address = clientAddress(req, hops);
    // The store looks the user up under the same normalisation: one name, one limit.
    const name = normalizeUsername(username);
    const key = `login:${name}`;
    const event = (e: Omit<SecurityEvent, "clientAddress" | "username">) => events?.({ ...e, clientAddress: address, username: name });
    // Counted before any password check, so a refused attempt costs no scrypt. A successful login resets the
    // username's count, never the address's: one valid account must not reset an address that guesses others.
    const refusedBy = async (scope: "address" | "username", hit: () => Promise<void>) => {
      try {
        await hit();
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        event({ event: "rate_limited", limit: scope, code: error.code });
        // A locked username answers at once (its owner may be retyping); an address over its limit is a flood.
        if (scope === "address") await slowly(error);
        throw error;
      }
    };
    await refusedBy("address", () => addressLimiter.hit(`address:${address}`));
    await refusedBy("username", () => limiter.hit(key));
    let user: Awaited<ReturnType<Store["users"]["verifyPassword"]>>;
    try {
      user = await gate.run(address, () => store.users.verifyPassword(username, password));
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      event({ event: "rate_limited", limit: "busy", code: error.code });
      await slowly(error);
      throw error;
    }
    if (!user) {
      event({ event: "login_failed", code: "INVALID_CREDENTIALS" });
      throw new InvalidCredentialsError("Invalid username or password.");
    }
    await limiter.reset(key);
    const token = await keys.sign({ id: user.id, username: user.username, displayName: user.displayName });
    sendJson(res, 200, { token, expiresIn: TOKEN_TTL_SEC });
  };
}

function isField(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_FIELD;
}
