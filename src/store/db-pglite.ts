import type { PGlite, Transaction } from "@electric-sql/pglite";
import { StoreConnectionError } from "./errors.js";
import type { Db } from "./types.js";

/** A PGlite-backed `Db` and how to close it. @internal */
export interface OpenedDb {
  db: Db;
  close(): Promise<void>;
}

type Queryable = Pick<PGlite | Transaction, "query">;

function wrap(target: Queryable, transaction: Db["transaction"]): Db {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<T>(sql, [...params]);
      return { rows: result.rows };
    },
    transaction,
  };
}

/**
 * Opens PGlite in memory (`dataDir` undefined) or on disk.
 * PGlite is one session: it queues statements itself, so concurrent transactions run one after another.
 * @internal
 */
export async function openPglite(dataDir: string | undefined, schema: string): Promise<OpenedDb> {
  let pg: PGlite;
  try {
    // Loaded lazily so Postgres-only users never pay for the WASM bundle.
    const { PGlite } = await import("@electric-sql/pglite");
    pg = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  } catch (error) {
    throw new StoreConnectionError(`Could not open the embedded database${dataDir ? " in the given directory" : ""}.`, { cause: error });
  }
  // The schema name is validated as a plain identifier before it gets here.
  await pg.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}"`);
  const db: Db = wrap(pg, (fn) =>
    pg.transaction((tx) => {
      const inner: Db = wrap(tx, (nested) => nested(inner));
      return fn(inner);
    }),
  );
  return { db, close: () => pg.close() };
}
