import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createStore, storeAuthorizer } from "gatehouse/store";
import { FAST_SCRYPT, PG_URL, dropSchema, randomSchema } from "./helpers.js";

describe("createStore options", () => {
  it.each([["mysql://localhost/db"], ["http://example.com"], [""], ["  "]])("rejects the url %j with a TypeError listing what is accepted", async (url) => {
    await expect(createStore({ url })).rejects.toThrow(TypeError);
    await expect(createStore({ url })).rejects.toThrow(/postgres:\/\//);
  });

  it("never echoes the url (it may hold a password)", async () => {
    await expect(createStore({ url: "redis://user:s3cret@host/0" })).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining("s3cret") }));
  });

  it.each([["Public"], ["1abc"], ["a-b"], ['x"; drop table y; --']])("rejects the schema %j", async (schema) => {
    await expect(createStore({ schema })).rejects.toThrow(/schema must be/);
  });

  it("rejects bad migrations before touching the database", async () => {
    await expect(createStore({ migrations: [{ id: "a", sql: "" }] })).rejects.toThrow(TypeError);
    await expect(createStore({ migrations: [{ id: "a", sql: "SELECT 1" }, { id: "a", sql: "SELECT 2" }] })).rejects.toThrow(/duplicate/);
    await expect(createStore({ migrations: [{ id: "bad id!", sql: "SELECT 1" }] })).rejects.toThrow(TypeError);
    await expect(createStore({ poolSize: 0 })).rejects.toThrow(TypeError);
    await expect(createStore({ now: "x" as never })).rejects.toThrow(TypeError);
  });

  it("a Postgres connection failure is STORE_UNAVAILABLE without the password", async () => {
    const url = "postgres://gatehouse:top-secret-pw@127.0.0.1:1/nodb";
    const attempt = createStore({ url });
    await expect(attempt).rejects.toMatchObject({ code: "STORE_UNAVAILABLE", status: 503 });
    await expect(createStore({ url })).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining("top-secret-pw") }));
    await expect(createStore({ url })).rejects.toThrow(/127\.0\.0\.1:1\/nodb/);
  });
});

describe("PGlite on disk", () => {
  it("a restart keeps every row", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatehouse-store-"));
    try {
      const first = await createStore({ url: dir, scrypt: FAST_SCRYPT });
      await first.roles.create({ slug: "editor", name: "Editor", permissions: [{ name: "recipes.recipe", rwd: "rw" }] });
      await first.groups.create({ slug: "team", name: "Team", roles: ["editor"] });
      await first.assignments.assign("u1", { groups: ["team"], roles: ["editor"] });
      const key = await first.apiKeys.create({ name: "k", ownerId: "u1", roles: ["editor"] });
      await first.users.create({ username: "alice", password: "password123", displayName: "Alice" });
      const before = {
        roles: await first.roles.list(),
        groups: await first.groups.list(),
        assignments: await first.assignments.list("u1"),
        keys: await first.apiKeys.list(),
        users: await first.users.list(),
        lookup: await first.apiKeys.lookup(key.id),
      };
      await first.close();

      // Reopened through a file:// url to cover that form too.
      const again = await createStore({ url: pathToFileURL(dir).href, scrypt: FAST_SCRYPT });
      try {
        expect({
          roles: await again.roles.list(),
          groups: await again.groups.list(),
          assignments: await again.assignments.list("u1"),
          keys: await again.apiKeys.list(),
          users: await again.users.list(),
          lookup: await again.apiKeys.lookup(key.id),
        }).toEqual(before);
        expect(await again.users.verifyPassword("alice", "password123")).toMatchObject({ username: "alice" });
        const { rows } = await again.db.query<{ id: string }>("SELECT id FROM gatehouse_migrations");
        expect(rows.map((r) => r.id)).toEqual(["gatehouse/0001_init", "gatehouse/0002_session_revocations"]);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("migrations [pglite]", () => {
  it("applies the application's migrations after gatehouse's, once; a failing one changes nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatehouse-mig-"));
    try {
      const migrations = [
        { id: "app/001", sql: "CREATE TABLE recipes (id text PRIMARY KEY, title text NOT NULL);\n-- seeded\nINSERT INTO recipes VALUES ('r1', 'Soup; hot')" },
      ];
      const a = await createStore({ url: dir, migrations });
      expect((await a.db.query("SELECT * FROM recipes")).rows).toEqual([{ id: "r1", title: "Soup; hot" }]);
      await a.close();

      const broken = [...migrations, { id: "app/002", sql: "CREATE TABLE half (id int); SELECT no_such_function()" }];
      await expect(createStore({ url: dir, migrations: broken })).rejects.toThrow();

      const b = await createStore({ url: dir, migrations });
      try {
        expect((await b.db.query("SELECT * FROM recipes")).rows).toHaveLength(1); // not re-run
        expect((await b.db.query("SELECT to_regclass('half') AS t")).rows).toEqual([{ t: null }]);
        expect((await b.db.query<{ id: string }>("SELECT id FROM gatehouse_migrations ORDER BY id")).rows.map((r) => r.id)).toEqual([
          "app/001",
          "gatehouse/0001_init",
          "gatehouse/0002_session_revocations",
        ]);
      } finally {
        await b.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("db.transaction rolls back when the function throws", async () => {
    const store = await createStore();
    try {
      await expect(
        store.db.transaction(async (tx) => {
          await tx.query("INSERT INTO gatehouse_roles (slug, name, created_at, updated_at) VALUES ('x', 'X', now(), now())");
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(await store.roles.get("x")).toBeNull();
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!PG_URL)("migrations [postgres]", () => {
  it("five nodes starting together migrate once and all work", async () => {
    const schema = randomSchema();
    const migrations = [{ id: "app/001", sql: "CREATE TABLE counters (n int); INSERT INTO counters VALUES (1)" }];
    try {
      const stores = await Promise.all(Array.from({ length: 5 }, () => createStore({ url: PG_URL, schema, migrations })));
      expect((await stores[0]!.db.query("SELECT n FROM counters")).rows).toEqual([{ n: 1 }]);
      const { rows } = await stores[4]!.db.query<{ id: string }>("SELECT id FROM gatehouse_migrations ORDER BY id");
      expect(rows.map((r) => r.id)).toEqual(["app/001", "gatehouse/0001_init", "gatehouse/0002_session_revocations"]);
      await stores[1]!.roles.create({ slug: "r", name: "R", permissions: [] });
      expect(await stores[3]!.roles.get("r")).toMatchObject({ slug: "r" });
      await Promise.all(stores.map((s) => s.close()));
      // Idempotent: a later start applies nothing and fails on nothing.
      const later = await createStore({ url: PG_URL, schema, migrations });
      expect((await later.db.query("SELECT n FROM counters")).rows).toEqual([{ n: 1 }]);
      await later.close();
    } finally {
      await dropSchema(schema);
    }
  });

  it("the listen connection reconnects after being killed and flushes caches", async () => {
    const schema = randomSchema();
    try {
      const a = await createStore({ url: PG_URL, schema });
      const b = await createStore({ url: PG_URL, schema });
      const heard: Array<{ kind: string; id: string }> = [];
      b.onChange((e) => heard.push(e));
      const waitFor = async (pred: () => boolean) => {
        for (let i = 0; i < 40 && !pred(); i++) await new Promise((r) => setTimeout(r, 25));
        return pred();
      };
      await a.db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [`gatehouse_listen:${schema}`]);
      expect(await waitFor(() => heard.some((e) => e.id === "*"))).toBe(true);
      // Retry until b listens again: notifications sent while it reconnects are covered by the "*" flush.
      let ok = false;
      for (let n = 0; n < 100 && !ok; n++) {
        await a.roles.create({ slug: `r${n}`, name: "R", permissions: [] });
        ok = await waitFor(() => heard.some((e) => e.kind === "role" && e.id.startsWith("r"))) || ok;
        if (!ok) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ok).toBe(true);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await dropSchema(schema);
    }
  });

  it("notify: false keeps changes local", async () => {
    const schema = randomSchema();
    try {
      const a = await createStore({ url: PG_URL, schema, notify: false });
      const b = await createStore({ url: PG_URL, schema, notify: false });
      const heard: unknown[] = [];
      b.onChange((e) => heard.push(e));
      const authorize = storeAuthorizer(a);
      await a.roles.create({ slug: "r", name: "R", permissions: [] });
      await new Promise((r) => setTimeout(r, 100));
      expect(heard).toEqual([]);
      authorize.dispose();
      await Promise.all([a.close(), b.close()]);
    } finally {
      await dropSchema(schema);
    }
  });

  it("schemas are isolated, including their change events", async () => {
    const [s1, s2] = [randomSchema(), randomSchema()];
    try {
      const a = await createStore({ url: PG_URL, schema: s1 });
      const b = await createStore({ url: PG_URL, schema: s2 });
      const heard: unknown[] = [];
      b.onChange((e) => heard.push(e));
      await a.roles.create({ slug: "only-a", name: "A", permissions: [] });
      await new Promise((r) => setTimeout(r, 100));
      expect(await b.roles.get("only-a")).toBeNull();
      expect(heard).toEqual([]);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await Promise.all([dropSchema(s1), dropSchema(s2)]);
    }
  });
});
