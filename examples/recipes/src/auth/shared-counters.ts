import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CounterStore } from "gatehouse";
import { redisCounterStore } from "gatehouse/store";
import { HttpError } from "../http/respond.js";

/** The login limiter's counters, and how to let go of them. */
export interface SharedCounters {
  /** `undefined` without Redis: each process counts on its own. */
  counters: CounterStore | undefined;
  close(): Promise<void>;
}

/** How long startup waits for Redis before going on without it (logins are refused meanwhile). */
const CONNECT_WAIT_MS = 2000;

/**
 * Counters shared by every node through Redis when `redisUrl` is set (the login limit then
 * holds across nodes: 10 attempts in all, not 10 per node), else `undefined` (per process).
 *
 * When Redis cannot be reached, the limiter FAILS CLOSED: a login is answered 503
 * `LIMITER_UNAVAILABLE` (nothing is checked, no password is tried) until Redis answers again,
 * and each refusal is logged at `error`. Letting logins through uncounted would reopen password
 * guessing exactly while the limit is blind. Commands fail fast instead of queueing
 * (`enableOfflineQueue: false`), so an outage costs no waiting; the client reconnects by itself.
 */
export async function createSharedCounters(redisUrl: string | undefined, logger: Logger): Promise<SharedCounters> {
  if (!redisUrl) return { counters: undefined, close: async () => undefined };
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_WAIT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let up = false;
  redis.on("ready", () => {
    if (!up) logger.info("login limiter: Redis connected; attempts are counted across nodes");
    up = true;
  });
  redis.on("error", (error: Error) => {
    // One line per outage, not one per reconnect attempt; the address never carries the password.
    if (up || !reported) logger.error({ error: { name: error.name, message: error.message } }, "login limiter: Redis unreachable; logins are refused until it is back (fail closed)");
    reported = true;
    up = false;
  });
  let reported = false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CONNECT_WAIT_MS);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });

  const shared = redisCounterStore(redis, { prefix: "recipes:login:" });
  const counters: CounterStore = {
    async increment(key, windowSec) {
      try {
        return await shared.increment(key, windowSec);
      } catch (error) {
        logger.error({ error: { name: (error as Error).name, message: (error as Error).message } }, "login limiter: Redis unreachable; login refused (fail closed)");
        throw new HttpError(503, "LIMITER_UNAVAILABLE", "Login is temporarily unavailable; try again shortly.");
      }
    },
    async reset(key) {
      // The login already succeeded; a count left behind only ages out.
      await shared.reset(key).catch((error: Error) => logger.warn({ error: { name: error.name, message: error.message } }, "login limiter: could not reset a count"));
    },
  };
  return {
    counters,
    async close() {
      redis.disconnect();
    },
  };
}
