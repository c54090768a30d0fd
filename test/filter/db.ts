// A table of rows in PGlite (always) or Postgres (when GATEHOUSE_TEST_PG_URL
// is set, in a random schema dropped afterwards), for comparing toSql with
// toPredicate.
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export const PG_URL = process.env.GATEHOUSE_TEST_PG_URL;

export interface TestDb {
  readonly name: string;
  query(text: string, values?: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function openPglite(): Promise<TestDb> {
  const db = new PGlite();
  return {
    name: "PGlite",
    query: async (text, values) => (await db.query<Record<string, unknown>>(text, values)).rows,
    close: () => db.close(),
  };
}

export async function openPostgres(url: string): Promise<TestDb> {
  const schema = `gh_filter_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.query(`SET search_path TO "${schema}"`);
  return {
    name: "Postgres",
    query: async (text, values) => (await client.query<Record<string, unknown>>(text, values)).rows,
    close: async () => {
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Every database to run against: PGlite, plus Postgres when configured. */
export function databases(): Array<{ name: string; open: () => Promise<TestDb> }> {
  const list = [{ name: "PGlite", open: openPglite }];
  if (PG_URL) list.push({ name: "Postgres", open: () => openPostgres(PG_URL) });
  return list;
}

/** Inserts rows in batches, with one parameter per value. */
export async function insertRows(db: TestDb, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(", ")})`);
    await db.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`, values);
  }
}
