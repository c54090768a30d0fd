// Per-field denials over HTTP: personal User fields, partial results, aliases/fragments, audit lines, limits.
import { describe, expect, it } from "vitest";
import { BACKENDS, codes, gql, recipeInput, useRecipesApp } from "./helpers.js";

const UPDATE = `mutation($id: ID!, $input: RecipeInput!) { updateRecipe(id: $id, input: $input) { id title } }`;
const CREATE = `mutation($input: RecipeInput!) { createRecipe(input: $input) { id title published createdBy { username } } }`;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`recipes GraphQL per-field rules (${backend.name})`, () => {
    const suite = useRecipesApp(backend);
    const { tokens } = suite;
    const setup = () => suite.setup();

    describe("User.email and User.permissions", () => {
      const ME = "{ me { username email permissions { name own rwd pw } } }";
      const AUTHORS = `{ recipes { title createdBy { username email permissions { name } } } }`;

      it("a user sees their own email and permissions", async () => {
        const res = await gql(suite.t.url, ME, undefined, tokens.joe);
        expect(res.body).toEqual({
          data: { me: { username: "joe", email: "joe@example.com", permissions: [{ name: "recipes.recipe", own: true, rwd: "rwd", pw: "p" }] } },
        });
      });

      it("others' email and permissions are null + FORBIDDEN; other fields still return data", async () => {
        const res = await gql(suite.t.url, AUTHORS, undefined, tokens.joe);
        const list = res.body.data!.recipes as Array<{ title: string; createdBy: { username: string; email: string | null; permissions: unknown } }>;
        const janes = list.filter((r) => r.createdBy.username === "jane");
        expect(janes.length).toBeGreaterThan(0);
        for (const r of janes) {
          expect(r.title).toEqual(expect.any(String));
          expect(r.createdBy.email).toBeNull();
          expect(r.createdBy.permissions).toBeNull();
        }
        const forbidden = (res.body.errors ?? []).filter((e) => e.extensions?.code === "FORBIDDEN");
        expect(forbidden.length).toBeGreaterThanOrEqual(2);
        expect(forbidden.every((e) => ["email", "permissions"].includes(String(e.path?.at(-1))))).toBe(true);
        expect(JSON.stringify(res.body)).not.toContain("jane@example.com");
        // Joe's own recipes still show his email.
        expect(list.filter((r) => r.createdBy.username === "joe").every((r) => r.createdBy.email === "joe@example.com")).toBe(true);
      });

      it("the editor is not an admin: others' email is FORBIDDEN", async () => {
        const res = await gql(suite.t.url, AUTHORS, undefined, tokens.ed);
        expect(codes(res)).toContain("FORBIDDEN");
        expect(JSON.stringify(res.body)).not.toContain("jane@example.com");
      });

      it("the admin sees everyone's email and permissions", async () => {
        const res = await gql(suite.t.url, AUTHORS, undefined, tokens.admin);
        expect(res.body.errors).toBeUndefined();
        const list = res.body.data!.recipes as Array<{ createdBy: { username: string; email: string } }>;
        expect(list.find((r) => r.createdBy.username === "jane")!.createdBy.email).toBe("jane@example.com");
      });

      it("anonymous gets null + UNAUTHENTICATED for them, titles still returned", async () => {
        const res = await gql(suite.t.url, AUTHORS);
        const list = res.body.data!.recipes as Array<{ title: string; createdBy: { email: unknown } }>;
        expect(list.length).toBeGreaterThan(0);
        expect(list.every((r) => typeof r.title === "string" && r.createdBy.email === null)).toBe(true);
        expect(new Set(codes(res))).toEqual(new Set(["UNAUTHENTICATED"]));
      });
    });

    describe("hardening", () => {
      it("denies per field inside one operation: the allowed root field still returns", async () => {
        const { janeDraft } = await setup();
        const res = await gql(suite.t.url, `query($id: ID!) { draft: recipe(id: $id) { title } recipes { id } }`, { id: janeDraft.id }, tokens.joe);
        expect(res.body.data!.draft).toBeNull();
        expect((res.body.data!.recipes as unknown[]).length).toBeGreaterThan(0);
        expect(codes(res)).toEqual(["FORBIDDEN"]);
      });

      it("checks aliased and fragment-reached fields too", async () => {
        const res = await gql(
          suite.t.url,
          `{ a: recipes { createdBy { ...U } } } fragment U on User { username mail: email }`,
          undefined,
          tokens.joe,
        );
        expect(JSON.stringify(res.body.data)).not.toContain("jane@example.com");
        expect(codes(res)).toContain("FORBIDDEN");
      });

      it("writes every denial as one JSON log line with identity, coordinate, rule and code", async () => {
        const { janePublished } = await setup();
        suite.t.logs.length = 0;
        suite.t.rawLogs.length = 0;
        await gql(suite.t.url, UPDATE, { id: janePublished.id, input: recipeInput() }, tokens.joe);
        await gql(suite.t.url, "{ me { id } }");
        await gql(suite.t.url, CREATE, { input: recipeInput() });
        const denials = suite.t.logs.filter((l) => l.decision === "deny");
        const joeId = (await suite.t.app.store.users.get("joe"))!.id;
        expect(denials).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ identityId: joeId, coordinate: "Mutation.updateRecipe", rule: expect.any(String), code: "FORBIDDEN" }),
            expect.objectContaining({ identityId: null, coordinate: "Mutation.createRecipe", code: "UNAUTHENTICATED" }),
          ]),
        );
        expect(JSON.stringify(suite.t.logs)).not.toMatch(/Bearer|eyJ/);
        // One well-formed JSON object per line: no key written twice.
        for (const line of suite.t.rawLogs.filter((l) => l.includes('"deny"'))) expect(line.match(/"time":/g)).toHaveLength(1);
      });

      it("rejects operations over GraphQL Armor's alias limit", async () => {
        const few = Array.from({ length: 3 }, (_, i) => `a${i}: me { id }`).join(" ");
        expect((await gql(suite.t.url, `{ ${few} }`, undefined, tokens.joe)).body.errors).toBeUndefined();
        const many = Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(" ");
        const res = await gql(suite.t.url, `{ ${many} }`, undefined, tokens.joe);
        expect(res.body.data ?? null).toBeNull();
        expect(res.body.errors?.length).toBeGreaterThan(0);
      });
    });
  });
}
