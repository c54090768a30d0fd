import type { IncomingMessage, ServerResponse } from "node:http";
import { InvalidCredentialsError, type CounterStore } from "gatehouse";
import { createRateLimiter } from "gatehouse/http";
import type { Store } from "gatehouse/store";
import { parseJsonObject, readBody } from "../http/body.js";
import { HttpError, sendJson } from "../http/respond.js";
import { TOKEN_TTL_SEC, type SigningKeys } from "./signing-keys.js";
import { slidingWindowCounterStore } from "./sliding-window-store.js";

/** Options for {@link createLoginHandler}. */
export interface LoginHandlerOptions {
  store: Store;
  keys: SigningKeys;
  /** Attempts allowed per username per window before 429. @default 10 */
  maxAttempts?: number;
  /** Length of the rate-limit window, in seconds. @default 60 */
  windowSec?: number;
  /** Where attempts are counted; a shared store (Redis) makes the limit hold across nodes. @default a sliding window in this process */
  counters?: CounterStore;
}

const MAX_FIELD = 256;

/**
 * `POST /auth/login {"username","password"}` → `200 {"token","expiresIn"}`.
 * A wrong username or password is one answer (401 `INVALID_CREDENTIALS`), so
 * the response never tells which one was wrong. More than `maxAttempts`
 * attempts for one username within the last `windowSec` (a sliding window)
 * → 429 `RATE_LIMITED`, even with the right password, until they age out.
 * Per process: instances behind a balancer each count their own.
 */
export function createLoginHandler(options: LoginHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { store, keys } = options;
  const limit = options.maxAttempts ?? 10;
  const limiter = createRateLimiter({ limit, windowSec: options.windowSec ?? 60, store: options.counters ?? slidingWindowCounterStore({ keep: limit + 1 }) });

  return async (req, res) => {
    const body = parseJsonObject(await readBody(req));
    const { username, password } = body;
    if (!isField(username) || !isField(password)) {
      throw new HttpError(400, "BAD_REQUEST", "Send {\"username\": string, \"password\": string}.");
    }
    const key = `login:${username.trim().toLowerCase()}`;
    // Counts every attempt; a successful login resets it. The 11th attempt in a window is refused before any password check.
    await limiter.hit(key);
    const user = await store.users.verifyPassword(username, password);
    if (!user) throw new InvalidCredentialsError("Invalid username or password.");
    await limiter.reset(key);
    const token = await keys.sign({ id: user.id, username: user.username, displayName: user.displayName });
    sendJson(res, 200, { token, expiresIn: TOKEN_TTL_SEC });
  };
}

function isField(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_FIELD;
}
