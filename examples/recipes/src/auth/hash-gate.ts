import { RateLimitedError } from "gatehouse";

/** Options for {@link createHashGate}. */
export interface HashGateOptions {
  /** Password checks running at once (each is a 32 MiB scrypt). @default 2 */
  concurrency?: number;
  /** Checks waiting for a free slot; beyond it a login is refused with 429. @default 32 */
  maxWaiting?: number;
}

/** Bounds the password checks of the login route. */
export interface HashGate {
  /**
   * Runs `check` for `client` when a slot is free. One check per client
   * address at a time: a second concurrent attempt from the same address is
   * refused at once, so one address can never hold more than one slot or
   * queue the others behind its flood.
   * @throws RateLimitedError (`RATE_LIMITED`, `Retry-After: 1`) when the client already has a
   *   check running or the waiting line is full.
   */
  run<T>(client: string, check: () => Promise<T>): Promise<T>;
}

/**
 * A small semaphore around the login's password hashing. Without it every
 * request starts its own scrypt, so 40 connections posting unknown usernames
 * push a real login's latency from ~150 ms to seconds; with it the flood of one
 * address holds at most one slot and the other slot stays free for everyone else.
 */
export function createHashGate(options: HashGateOptions = {}): HashGate {
  const concurrency = options.concurrency ?? 2;
  const maxWaiting = options.maxWaiting ?? 32;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError("createHashGate: concurrency must be a positive integer.");
  if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new TypeError("createHashGate: maxWaiting must be a non-negative integer.");
  const busyClients = new Set<string>();
  const waiting: Array<() => void> = [];
  let running = 0;

  const busy = () => new RateLimitedError("Too many login attempts at once; retry shortly.", 1);

  async function slot(): Promise<void> {
    if (running < concurrency) {
      running++;
      return;
    }
    if (waiting.length >= maxWaiting) throw busy();
    // The slot is handed over by release(): `running` does not change in between.
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }

  return {
    async run(client, check) {
      if (busyClients.has(client)) throw busy();
      busyClients.add(client);
      try {
        await slot();
        try {
          return await check();
        } finally {
          release();
        }
      } finally {
        busyClients.delete(client);
      }
    },
  };
}
