// Two app processes' worth of instances on one Postgres: shared keys, and a role change made
// through one is enforced by the other within a second (LISTEN/NOTIFY invalidation).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, gql, PG_URL, recipeInput, startApp, tokenFor, uniqueSchema, type TestApp } from "./helpers.js";

const CREATE = `mutation($input: RecipeInput!) { createRecipe(input: $input) { id } }`;

describe.skipIf(!PG_URL)("two instances on one Postgres", () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const schema = uniqueSchema();
    a = await startApp({ databaseUrl: PG_URL, databaseSchema: schema });
    b = await startApp({ databaseUrl: PG_URL, databaseSchema: schema });
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
  });

  async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      if (await check()) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("share one signing key: a token from one is accepted by the other", async () => {
    const ja = await (await fetch(`${a.url}/.well-known/jwks.json`)).json();
    const jb = await (await fetch(`${b.url}/.well-known/jwks.json`)).json();
    expect(ja).toEqual(jb);
    const token = await tokenFor(a.url, "jane");
    expect((await gql(b.url, "{ me { username } }", undefined, token)).body.data?.me).toEqual({ username: "jane" });
  });

  it("a role change through one instance is enforced by the other within a second", async () => {
    const token = await tokenFor(a.url, "joe");
    // Warm B's permission cache for Joe.
    expect((await gql(b.url, CREATE, { input: recipeInput() }, token)).body.data?.createRecipe).toBeTruthy();

    const joe = (await a.app.store.users.get("joe"))!;
    await a.app.store.assignments.unassign(joe.id, { roles: ["author"] });
    try {
      const denied = await eventually(async () => codes(await gql(b.url, CREATE, { input: recipeInput() }, token)).includes("FORBIDDEN"), 1000);
      expect(denied).toBe(true);
    } finally {
      await a.app.store.assignments.assign(joe.id, { roles: ["author"] });
    }
    const restored = await eventually(async () => Boolean((await gql(b.url, CREATE, { input: recipeInput() }, token)).body.data?.createRecipe), 1000);
    expect(restored).toBe(true);
  });

  it("a role's permissions edited through one instance apply on the other within a second", async () => {
    const token = await tokenFor(b.url, "ed");
    expect((await gql(b.url, CREATE, { input: recipeInput() }, token)).body.data?.createRecipe).toBeTruthy();
    await a.app.store.roles.update("editor", { permissions: [{ name: "recipes.recipe", rwd: "r" }] });
    try {
      const denied = await eventually(async () => codes(await gql(b.url, CREATE, { input: recipeInput() }, token)).includes("FORBIDDEN"), 1000);
      expect(denied).toBe(true);
    } finally {
      await a.app.store.roles.update("editor", { permissions: [{ name: "recipes.*" }] });
    }
  });
});
