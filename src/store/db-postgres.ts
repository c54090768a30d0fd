import type * as PgTypes from "pg";
import type { Client, Pool, PoolClient } from "pg";
import { StoreConnectionError } from "./errors.js";
import { describePostgresUrl, redact } from "./store-url.js";
import type { Db } from "./types.js";
import type { OpenedDb } from "./db-pglite.js";

type PgModule = typeof PgTypes;

async function loadPg(): Promise<PgModule> {
  try {
    const mod = (await import("pg")) as PgModule & { default?: PgModule };
    return mod.default ?? mod;
  } catch (error) {
    throw new StoreConnectionError('A postgres:// url needs the "pg" package: npm install pg.', { cause: error });
  }
}

function password(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** A connection error whose message names host and database but never the password. @internal */
export function connectionError(url: string, error: unknown): StoreConnectionError {
  const detail = redact(error instanceof Error ? error.message : String(error), password(url));
  return new StoreConnectionError(`Could not connect to Postgres at ${describePostgresUrl(url)}: ${detail}`, { cause: error });
}

function clientDb(client: Pick<PoolClient, "query">): Db {
  const db: Db = {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params]);
      return { rows: result.rows as T[] };
    },
    transaction: (fn) => fn(db),
  };
  return db;
}

async function inTransaction<R>(pool: Pool, fn: (db: Db) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await fn(clientDb(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch {
      broken = true; // a connection that cannot roll back is not returned to the pool
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Opens a `pg` pool whose sessions use `schema`, and checks that the server answers.
 * @throws StoreConnectionError (`STORE_UNAVAILABLE`) when it does not.
 * @internal
 */
export async function openPostgres(url: string, schema: string, poolSize: number): Promise<OpenedDb> {
  const pg = await loadPg();
  // search_path as a startup option applies to every pooled session without an extra round trip.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c search_path="${schema}"` });
  pool.on("error", () => undefined); // idle client errors are reported on the next query instead
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectionError(url, error);
  }
  const db: Db = {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query(sql, [...params]);
      return { rows: result.rows as T[] };
    },
    transaction: (fn) => inTransaction(pool, fn),
  };
  return { db, close: () => pool.end() };
}

/** A running `LISTEN`; `close` stops it for good. @internal */
export interface Listener {
  close(): Promise<void>;
}

/**
 * Listens on `channel` over a dedicated connection and reconnects when it drops.
 * `onGap` runs whenever notifications may have been missed (disconnect), so caches can flush.
 * @internal
 */
export async function listenPostgres(
  url: string,
  channel: string,
  applicationName: string,
  onPayload: (payload: string) => void,
  onGap: () => void,
): Promise<Listener> {
  const pg = await loadPg();
  let client: Client | undefined;
  let closed = false;
  let retryMs = 100;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: applicationName });
    c.on("notification", (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
    });
    c.on("error", () => reconnect(c));
    c.on("end", () => reconnect(c));
    try {
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
    } catch (error) {
      await c.end().catch(() => undefined);
      throw error;
    }
    client = c;
    retryMs = 100;
  }

  function reconnect(dead: Client): void {
    if (closed || client !== dead) return;
    client = undefined;
    dead.end().catch(() => undefined);
    onGap();
    const retry = (): void => {
      if (closed) return;
      connect().then(onGap, () => {
        retryMs = Math.min(retryMs * 2, 5000);
        setTimeout(retry, retryMs).unref();
      });
    };
    setTimeout(retry, retryMs).unref();
  }

  try {
    await connect();
  } catch (error) {
    throw connectionError(url, error);
  }
  return {
    async close() {
      closed = true;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
