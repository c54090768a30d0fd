import type { Db, Migration } from "./types.js";

const MIGRATION_ID = /^[\w./:-]{1,200}$/;

/**
 * Checks migration ids are well-formed and unique before anything runs.
 * @throws TypeError naming the offending entry.
 * @internal
 */
export function assertMigrations(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  for (const [i, m] of migrations.entries()) {
    if (!m || typeof m.id !== "string" || !MIGRATION_ID.test(m.id)) {
      throw new TypeError(`createStore: migrations[${i}].id must be a string of letters, digits and ._/:- (1-200 chars).`);
    }
    if (typeof m.sql !== "string" || m.sql.trim() === "") throw new TypeError(`createStore: migrations[${i}].sql must be non-empty SQL.`);
    if (seen.has(m.id)) throw new TypeError(`createStore: duplicate migration id "${m.id}".`);
    seen.add(m.id);
  }
}

/**
 * Applies every migration not yet recorded in `gatehouse_migrations`, all in one
 * transaction: a failing migration leaves the database exactly as it was.
 * `pg_advisory_xact_lock` serialises nodes that start together; the loser waits,
 * then sees the winner's rows and applies nothing.
 * @returns ids applied by this call.
 * @internal
 */
export async function migrate(db: Db, schema: string, migrations: readonly Migration[], now: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`gatehouse_migrations:${schema}`]);
    // The schema name is validated as a plain identifier before it gets here.
    await tx.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".gatehouse_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL)`,
    );
    const { rows } = await tx.query<{ id: string }>(`SELECT id FROM "${schema}".gatehouse_migrations`);
    const done = new Set(rows.map((r) => r.id));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await tx.query(`SET LOCAL search_path TO "${schema}"`);
      await runScript(tx, m.sql);
      await tx.query(`INSERT INTO "${schema}".gatehouse_migrations (id, applied_at) VALUES ($1, $2)`, [m.id, now]);
      applied.push(m.id);
    }
    return applied;
  });
}

/** Extended-protocol drivers take one statement per call, so a script is split on top-level semicolons. */
async function runScript(db: Db, sql: string): Promise<void> {
  for (const statement of splitStatements(sql)) await db.query(statement);
}

/**
 * Splits SQL on `;` outside quotes, dollar-quoted bodies and comments.
 * @internal
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      i = sql.indexOf(ch, i + 1);
      if (i < 0) break;
    } else if (ch === "-" && sql[i + 1] === "-") {
      i = sql.indexOf("\n", i);
      if (i < 0) break;
    } else if (ch === "/" && sql[i + 1] === "*") {
      i = sql.indexOf("*/", i + 2) + 1;
      if (i <= 0) break;
    } else if (ch === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        i = sql.indexOf(tag, i + tag.length) + tag.length - 1;
        if (i < tag.length - 1) break;
      }
    } else if (ch === ";") {
      out.push(sql.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  out.push(sql.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== "" && !/^(--[^\n]*\n?\s*)+$/.test(s));
}
