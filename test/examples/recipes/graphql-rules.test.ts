// The GraphQL rules of the app, walked over HTTP per role: anonymous, author, editor, admin.
import { describe, expect, it } from "vitest";
import { BACKENDS, codes, gql, rawRecipe, RECIPE_FIELDS, recipeInput, PUBLISH, useRecipesApp } from "./helpers.js";

const LIST = `{ recipes { id title published createdBy { username } } }`;
const GET = `query($id: ID!) { recipe(id: $id) { ${RECIPE_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: RecipeInput!) { updateRecipe(id: $id, input: $input) { id title } }`;
const DELETE = `mutation($id: ID!) { deleteRecipe(id: $id) }`;
const CREATE = `mutation($input: RecipeInput!) { createRecipe(input: $input) { id title published createdBy { username } } }`;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`recipes GraphQL rules (${backend.name})`, () => {
    const suite = useRecipesApp(backend);
    const { tokens } = suite;
    const setup = () => suite.setup();
    const ids = (res: { body: { data?: Record<string, any> | null } }) => (res.body.data?.recipes as Array<{ id: string }>).map((r) => r.id);

    describe("anonymous", () => {
      it("lists published recipes only, the seeded ones included", async () => {
        const { janeDraft, janePublished } = await setup();
        const res = await gql(suite.t.url, LIST);
        expect(res.body.errors).toBeUndefined();
        const list = res.body.data!.recipes as Array<{ id: string; title: string; published: boolean }>;
        expect(list.every((r) => r.published)).toBe(true);
        expect(ids(res)).toContain(janePublished.id);
        expect(ids(res)).not.toContain(janeDraft.id);
        expect(list.map((r) => r.title)).toContain("Blueberry muffins");
      });

      it("gets a published recipe; a draft is null with an error", async () => {
        const { janeDraft, janePublished } = await setup();
        expect((await gql(suite.t.url, GET, { id: janePublished.id })).body.data!.recipe.id).toBe(janePublished.id);
        const draft = await gql(suite.t.url, GET, { id: janeDraft.id });
        expect(draft.body.data!.recipe).toBeNull();
        expect(codes(draft)).toEqual(["UNAUTHENTICATED"]);
        expect(JSON.stringify(draft.body)).not.toContain("Jane draft");
      });

      it("gets null without error for an unknown id", async () => {
        const res = await gql(suite.t.url, GET, { id: "no-such-recipe" });
        expect(res.body).toEqual({ data: { recipe: null } });
      });

      it("cannot run any mutation: UNAUTHENTICATED and nothing written", async () => {
        const { janeDraft } = await setup();
        const before = await suite.t.app.store.db.query("SELECT count(*)::int AS n FROM recipes");
        const create = await gql(suite.t.url, CREATE, { input: recipeInput("anon") });
        const update = await gql(suite.t.url, UPDATE, { id: janeDraft.id, input: recipeInput("hacked") });
        const del = await gql(suite.t.url, DELETE, { id: janeDraft.id });
        const pub = await gql(suite.t.url, PUBLISH, { id: janeDraft.id });
        for (const res of [create, update, del, pub]) {
          expect(res.body.data ?? null).toBeNull();
          expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
        }
        expect(await suite.t.app.store.db.query("SELECT count(*)::int AS n FROM recipes")).toEqual(before);
        expect(await rawRecipe(suite.t.app, janeDraft.id)).toEqual({ title: "Jane draft", published: false });
      });

      it("me is null", async () => {
        expect((await gql(suite.t.url, "{ me { id } }")).body).toEqual({ data: { me: null } });
      });
    });

    describe("author", () => {
      it("lists published recipes plus own drafts, not others' drafts", async () => {
        const { janeDraft, joeDraft, janePublished } = await setup();
        const res = await gql(suite.t.url, LIST, undefined, tokens.joe);
        expect(ids(res)).toEqual(expect.arrayContaining([joeDraft.id, janePublished.id]));
        expect(ids(res)).not.toContain(janeDraft.id);
        const list = res.body.data!.recipes as Array<{ published: boolean; createdBy: { username: string } }>;
        expect(list.filter((r) => !r.published).every((r) => r.createdBy.username === "joe")).toBe(true);
      });

      it("creates a recipe owned by themself", async () => {
        const res = await gql(suite.t.url, CREATE, { input: recipeInput("Joe's soup") }, tokens.joe);
        expect(res.body.data!.createRecipe).toMatchObject({ title: "Joe's soup", published: false, createdBy: { username: "joe" } });
      });

      it("updates, publishes and deletes their own recipe", async () => {
        const { joeDraft } = await setup();
        const up = await gql(suite.t.url, UPDATE, { id: joeDraft.id, input: recipeInput("Joe draft v2") }, tokens.joe);
        expect(up.body.data!.updateRecipe.title).toBe("Joe draft v2");
        const pub = await gql(suite.t.url, PUBLISH, { id: joeDraft.id }, tokens.joe);
        expect(pub.body.data!.publishRecipe).toEqual({ id: joeDraft.id, published: true });
        const del = await gql(suite.t.url, DELETE, { id: joeDraft.id }, tokens.joe);
        expect(del.body.data!.deleteRecipe).toBe(true);
        expect(await rawRecipe(suite.t.app, joeDraft.id)).toBeNull();
      });

      it("cannot update, publish or delete someone else's recipe: FORBIDDEN and unchanged", async () => {
        const { janeDraft, janePublished } = await setup();
        for (const target of [janeDraft, janePublished]) {
          const before = await rawRecipe(suite.t.app, target.id);
          const update = await gql(suite.t.url, UPDATE, { id: target.id, input: recipeInput("Joe was here") }, tokens.joe);
          const pub = await gql(suite.t.url, PUBLISH, { id: target.id }, tokens.joe);
          const del = await gql(suite.t.url, DELETE, { id: target.id }, tokens.joe);
          for (const res of [update, pub, del]) {
            expect(res.body.data ?? null).toBeNull();
            expect(codes(res)).toEqual(["FORBIDDEN"]);
          }
          expect(await rawRecipe(suite.t.app, target.id)).toEqual(before);
        }
      });

      it("cannot read someone else's draft", async () => {
        const { janeDraft } = await setup();
        const res = await gql(suite.t.url, GET, { id: janeDraft.id }, tokens.joe);
        expect(res.body.data!.recipe).toBeNull();
        expect(codes(res)).toEqual(["FORBIDDEN"]);
      });

      it("gets NOT_FOUND when updating a recipe that does not exist", async () => {
        const res = await gql(suite.t.url, UPDATE, { id: "missing", input: recipeInput() }, tokens.joe);
        expect(codes(res)).toEqual(["NOT_FOUND"]);
      });

      it("gets BAD_USER_INPUT for an empty title and nothing is written", async () => {
        const res = await gql(suite.t.url, CREATE, { input: { title: "   ", ingredients: [], steps: [] } }, tokens.joe);
        expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
      });
    });

    for (const manager of ["ed", "admin"]) {
      describe(manager === "ed" ? "editor" : "admin", () => {
        it("sees every draft and may update, publish and delete anyone's recipe", async () => {
          const { janeDraft, joeDraft } = await setup();
          const list = await gql(suite.t.url, LIST, undefined, tokens[manager]);
          expect(ids(list)).toEqual(expect.arrayContaining([janeDraft.id, joeDraft.id]));
          const get = await gql(suite.t.url, GET, { id: janeDraft.id }, tokens[manager]);
          expect(get.body.data!.recipe.id).toBe(janeDraft.id);
          const up = await gql(suite.t.url, UPDATE, { id: janeDraft.id, input: recipeInput("Edited") }, tokens[manager]);
          expect(up.body.data!.updateRecipe.title).toBe("Edited");
          const pub = await gql(suite.t.url, PUBLISH, { id: janeDraft.id }, tokens[manager]);
          expect(pub.body.data!.publishRecipe.published).toBe(true);
          const del = await gql(suite.t.url, DELETE, { id: joeDraft.id }, tokens[manager]);
          expect(del.body.data!.deleteRecipe).toBe(true);
          expect(await rawRecipe(suite.t.app, joeDraft.id)).toBeNull();
        });
      });
    }

  });
}
