// A NUL byte in user input (Postgres text cannot hold one) is "not found" or a
// named BAD_USER_INPUT over HTTP, never a 500; and when the database does fail,
// the log line names the error without the query's parameter values.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, codes, createRecipe, gql, login, recipeInput, startApp, tokenFor, type TestApp } from "./helpers.js";

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`NUL bytes in input (${backend.name})`, () => {
    let t: TestApp;
    let joe: string;
    beforeAll(async () => {
      t = await startApp(backend.options());
      joe = await tokenFor(t.url, "joe");
    });
    afterAll(async () => {
      await t?.app.close();
    });

    it("answers a login with NUL in the username like an unknown user: 401 INVALID_CREDENTIALS", async () => {
      const nul = await login(t.url, "jane\u0000", "jane-password");
      const unknown = await login(t.url, "nobody-here", "jane-password");
      expect(nul.status).toBe(401);
      expect(nul.body).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
      expect(nul.body).toEqual(unknown.body);
    });

    it("answers recipe(id) with a NUL id as not found: null and no error", async () => {
      for (const token of [undefined, joe]) {
        const res = await gql(t.url, "query($id: ID!) { recipe(id: $id) { id } }", { id: "a\u0000b" }, token);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ data: { recipe: null } });
      }
    });

    it("answers update, publish and delete of a NUL id with NOT_FOUND", async () => {
      const id = "seed\u0000";
      const update = await gql(t.url, "mutation($id: ID!, $input: RecipeInput!) { updateRecipe(id: $id, input: $input) { id } }", { id, input: recipeInput() }, joe);
      const publish = await gql(t.url, "mutation($id: ID!) { publishRecipe(id: $id) { id } }", { id }, joe);
      const remove = await gql(t.url, "mutation($id: ID!) { deleteRecipe(id: $id) }", { id }, joe);
      for (const res of [update, publish, remove]) expect(codes(res)).toEqual(["NOT_FOUND"]);
    });

    it.each([
      ["title", { ...recipeInput(), title: "Pan\u0000cakes" }, /title/],
      ["an ingredient", { ...recipeInput(), ingredients: ["1 egg", "fl\u0000our"] }, /ingredients/],
      ["a step", { ...recipeInput(), steps: ["Mix\u0000."] }, /steps/],
    ])("refuses createRecipe with NUL in %s: BAD_USER_INPUT saying what to fix", async (_name, input, field) => {
      const res = await gql(t.url, "mutation($input: RecipeInput!) { createRecipe(input: $input) { id } }", { input }, joe);
      expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
      expect(res.body.errors![0]!.message).toMatch(field);
      expect(res.body.errors![0]!.message).toMatch(/NUL/);
    });

    it("refuses updateRecipe with a NUL title on an existing recipe, leaving it unchanged", async () => {
      const mine = await createRecipe(t.url, joe);
      const res = await gql(t.url, "mutation($id: ID!, $input: RecipeInput!) { updateRecipe(id: $id, input: $input) { id } }", { id: mine.id, input: { ...recipeInput(), title: "x\u0000" } }, joe);
      expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
      const after = await gql(t.url, "query($id: ID!) { recipe(id: $id) { title } }", { id: mine.id }, joe);
      expect(after.body.data?.recipe).toEqual({ title: mine.title });
    });
  });

  describe.skipIf(!backend.enabled)(`database errors in the log (${backend.name})`, () => {
    it("logs a failed login query by name, code and message, never its parameters", async () => {
      const t = await startApp(backend.options());
      try {
        await t.app.store.db.query("ALTER TABLE gatehouse_users RENAME TO gatehouse_users_gone");
        const res = await login(t.url, "SECRET-PARAM-user", "SECRET-PARAM-password");
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ error: { code: "INTERNAL_SERVER_ERROR", message: "Unexpected error." } });
        const failed = t.logs.find((l) => l.msg === "request failed");
        expect(failed?.error).toMatchObject({ name: expect.any(String), code: "42P01", message: expect.stringContaining("gatehouse_users") });
        expect(Object.keys(failed!.error as object).sort()).toEqual(["code", "message", "name"]);
        expect(JSON.stringify(t.logs)).not.toContain("SECRET-PARAM");
      } finally {
        await t.app.close();
      }
    });

    it("logs a failed GraphQL query without its parameters and masks it for the client", async () => {
      const t = await startApp(backend.options());
      try {
        await t.app.store.db.query("ALTER TABLE recipes RENAME TO recipes_gone");
        const res = await gql(t.url, "query($id: ID!) { recipe(id: $id) { id } }", { id: "SECRET-PARAM-id" });
        expect(res.body.data?.recipe ?? null).toBeNull();
        expect(res.body.errors?.[0]?.message).toBe("Unexpected error.");
        expect(JSON.stringify(res.body)).not.toContain("SECRET-PARAM");
        const errors = t.logs.filter((l) => (l.level as number) >= 50);
        expect(errors).toContainEqual(expect.objectContaining({ yoga: [{ name: expect.any(String), code: "42P01", message: expect.stringContaining("recipes") }] }));
        expect(JSON.stringify(t.logs)).not.toContain("SECRET-PARAM");
      } finally {
        await t.app.close();
      }
    });
  });
}
