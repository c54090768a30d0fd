// Acceptance over HTTP on the recipes example: Joe must never change Jane's
// recipe through any mutation, anonymous visitors read published recipes
// only, personal data is for its owner, bad tokens are 401.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createRecipe, gql, PUBLISH, rawRecipe, recipeInput, startApp, tokenFor, type TestApp } from "../examples/recipes/helpers.js";
import { expiredToken } from "./acceptance-fixture.js";

describe("recipes example: the public contract over HTTP", () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let janeDraft: { id: string; title: string };
  let janePublished: { id: string; title: string };
  let joeDraft: { id: string; title: string };
  beforeAll(async () => {
    t = await startApp();
    for (const user of ["joe", "jane", "admin"]) tokens[user] = await tokenFor(t.url, user);
    janeDraft = await createRecipe(t.url, tokens.jane!, "JANE-SECRET-DRAFT");
    janePublished = await createRecipe(t.url, tokens.jane!, "Jane published");
    await gql(t.url, PUBLISH, { id: janePublished.id }, tokens.jane);
    joeDraft = await createRecipe(t.url, tokens.joe!, "Joe draft");
  });
  afterAll(async () => {
    await t?.app.close();
  });

  it("Joe never updates, deletes or publishes Jane's recipe; nothing is written", async () => {
    const attempts = [
      ["updateRecipe", `mutation($id: ID!, $input: RecipeInput!) { updateRecipe(id: $id, input: $input) { id title } }`, { input: recipeInput("JOE-WAS-HERE") }],
      ["deleteRecipe", `mutation($id: ID!) { deleteRecipe(id: $id) }`, {}],
      ["publishRecipe", PUBLISH, {}],
    ] as const;
    for (const target of [janeDraft, janePublished]) {
      for (const [field, mutation, extra] of attempts) {
        const res = await gql(t.url, mutation, { id: target.id, ...extra }, tokens.joe);
        expect(res.status).toBe(200);
        expect(res.body.data ?? null).toBeNull();
        expect(codes(res)).toEqual(["FORBIDDEN"]);
        expect(res.body.errors?.[0]?.path).toEqual([field]);
        expect(JSON.stringify(res.body)).not.toContain("JANE-SECRET-DRAFT");
      }
    }
    expect(await rawRecipe(t.app, janeDraft.id)).toEqual({ title: "JANE-SECRET-DRAFT", published: false });
    expect(await rawRecipe(t.app, janePublished.id)).toEqual({ title: "Jane published", published: true });
  });

  it("an allowed mutation before a denied one in the same operation runs; the denied one never does", async () => {
    const res = await gql(
      t.url,
      `mutation($own: ID!, $other: ID!, $i: RecipeInput!) { a: updateRecipe(id: $own, input: $i) { id } b: updateRecipe(id: $other, input: $i) { id } }`,
      { own: joeDraft.id, other: janeDraft.id, i: recipeInput("Joe renamed") },
      tokens.joe,
    );
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([["FORBIDDEN", ["b"]]]);
    expect((await rawRecipe(t.app, janeDraft.id))?.title).toBe("JANE-SECRET-DRAFT");
    expect((await rawRecipe(t.app, joeDraft.id))?.title).toBe("Joe renamed");
  });

  it("anonymous callers may not mutate (UNAUTHENTICATED) and read published recipes only", async () => {
    const res = await gql(t.url, `mutation($id: ID!) { deleteRecipe(id: $id) }`, { id: janePublished.id });
    expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
    expect(await rawRecipe(t.app, janePublished.id)).not.toBeNull();
    const list = await gql(t.url, "{ recipes { id published } }");
    expect(list.status).toBe(200);
    expect(list.body.errors).toBeUndefined();
    const rows = list.body.data?.recipes as Array<{ id: string; published: boolean }>;
    expect(rows.every((r) => r.published)).toBe(true);
    expect(rows.map((r) => r.id)).toContain(janePublished.id);
    const draft = await gql(t.url, "query($id: ID!) { recipe(id: $id) { title } }", { id: janeDraft.id });
    expect(draft.body.data).toEqual({ recipe: null });
    expect(JSON.stringify(draft.body)).not.toContain("JANE-SECRET-DRAFT");
  });

  it("an email is for its owner: Jane's is null with FORBIDDEN for Joe, UNAUTHENTICATED for anonymous", async () => {
    const q = "query($id: ID!) { recipe(id: $id) { createdBy { username email } } }";
    const joe = await gql(t.url, q, { id: janePublished.id }, tokens.joe);
    expect(joe.body.data).toEqual({ recipe: { createdBy: { username: "jane", email: null } } });
    expect(joe.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([["FORBIDDEN", ["recipe", "createdBy", "email"]]]);
    expect(JSON.stringify(joe.body)).not.toContain("jane@example.com");
    const anon = await gql(t.url, q, { id: janePublished.id });
    expect(anon.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([["UNAUTHENTICATED", ["recipe", "createdBy", "email"]]]);
    const jane = await gql(t.url, q, { id: janePublished.id }, tokens.jane);
    expect(jane.body).toEqual({ data: { recipe: { createdBy: { username: "jane", email: "jane@example.com" } } } });
  });

  it("a forged, expired or garbage token is 401 INVALID_CREDENTIALS with WWW-Authenticate, never anonymous", async () => {
    const [h, p] = tokens.joe!.split(".");
    for (const bad of [`${h}.${p}.AAAA`, await expiredToken("joe"), "garbage"]) {
      const res = await gql(t.url, "{ recipes { id } }", undefined, bad);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
      expect(res.body.data ?? undefined).toBeUndefined();
      expect(codes(res)).toEqual(["INVALID_CREDENTIALS"]);
      expect(JSON.stringify(res.body)).not.toContain(bad);
    }
  });

  it("the app's logs hold no token and no password", () => {
    const logs = t.rawLogs.join("\n");
    for (const secret of [...Object.values(tokens), "joe-password", "jane-password"]) expect(logs).not.toContain(secret);
  });
});
