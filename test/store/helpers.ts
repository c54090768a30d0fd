import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, describe } from "vitest";
import { createStore, type Store, type StoreOptions } from "gatehouse/store";

export const PG_URL = process.env.GATEHOUSE_TEST_PG_URL;
export const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL;

/** Cheap scrypt for tests; production defaults are exercised in users.test.ts. */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1, keylen: 32 };

let counter = 0;
/** A name no other test uses: slugs, identity ids, usernames. */
export function unique(prefix = "t"): string {
  return `${prefix}-${process.pid}-${++counter}-${randomBytes(3).toString("hex")}`;
}

export function randomSchema(): string {
  return `gh_test_${randomBytes(6).toString("hex")}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export interface StoreHarness {
  backend: "pglite" | "postgres";
  /** A store for this test. PGlite: one shared in-memory store per suite (it takes seconds to boot), so tests use `unique()` names. Postgres: a fresh random schema per call, dropped after the test. */
  setup(options?: Omit<StoreOptions, "url" | "schema">): Promise<Store>;
  /** Another store on the same database/schema as the last `setup()` (Postgres only). */
  second(options?: Omit<StoreOptions, "url" | "schema">): Promise<Store>;
}

/**
 * Runs the same suite against PGlite always and against Postgres when
 * GATEHOUSE_TEST_PG_URL is set.
 */
export function describeStores(name: string, fn: (h: StoreHarness) => void): void {
  describe(`${name} [pglite]`, () => {
    let shared: Promise<Store> | undefined;
    afterAll(async () => {
      if (shared) await (await shared).close();
    });
    fn({
      backend: "pglite",
      setup: (options) => {
        if (options && Object.keys(options).length > 0) throw new Error("pglite harness: use a dedicated createStore for options");
        shared ??= createStore({ scrypt: FAST_SCRYPT });
        return shared;
      },
      second: () => Promise.reject(new Error("second() needs Postgres")),
    });
  });

  describe.skipIf(!PG_URL)(`${name} [postgres]`, () => {
    let opened: Store[] = [];
    let schemas: string[] = [];
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      await Promise.all(schemas.map(dropSchema));
      opened = [];
      schemas = [];
    });
    const open = async (schema: string, options?: Omit<StoreOptions, "url" | "schema">) => {
      const store = await createStore({ scrypt: FAST_SCRYPT, ...options, url: PG_URL, schema });
      opened.push(store);
      return store;
    };
    fn({
      backend: "postgres",
      setup: (options) => {
        const schema = randomSchema();
        schemas.push(schema);
        return open(schema, options);
      },
      second: (options) => open(schemas.at(-1)!, options),
    });
  });
}
