// Mutations reached by every route a client can write (aliases, fragments,
// inline fragments, variables, several fields in one operation, @include),
// against the real app: another author's recipe is never changed, anonymous
// never writes. The database is read directly to prove it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, startApp, tokenFor, type TestApp } from "./fixtures/app.js";

let t: TestApp;
let joe: string;
let jane: string;
beforeAll(async () => {
  t = await startApp();
  joe = await tokenFor(t.url, "joe");
  jane = await tokenFor(t.url, "jane");
});
afterAll(async () => {
  await t?.app.close();
});

const INPUT = { title: "PWNED", ingredients: ["x"], steps: ["x"] };

/** A fresh draft of Jane's: the target of every attack. */
async function setup() {
  const res = await gql(t.url, "mutation($i: RecipeInput!) { createRecipe(input: $i) { id } }", {
    authorization: `Bearer ${jane}`,
    variables: { i: { title: "Jane's secret draft", ingredients: ["a"], steps: ["b"] } },
  });
  const id = (res.json().data?.createRecipe as { id: string }).id;
  const row = async () => {
    const { rows } = await t.app.store.db.query<{ title: string; published: boolean }>("SELECT title, published FROM recipes WHERE id = $1", [id]);
    return rows[0] ?? null;
  };
  return { id, row };
}

const routes: Array<[string, (id: string) => string]> = [
  ["direct update", (id) => `mutation { updateRecipe(id: "${id}", input: { title: "PWNED", ingredients: ["x"], steps: ["x"] }) { id } }`],
  ["aliased update", (id) => `mutation { harmless: updateRecipe(id: "${id}", input: { title: "PWNED", ingredients: ["x"], steps: ["x"] }) { id } }`],
  ["update via variables", () => "mutation($id: ID!, $i: RecipeInput!) { updateRecipe(id: $id, input: $i) { id } }"],
  ["update in a named fragment", (id) => `mutation { ...M } fragment M on Mutation { updateRecipe(id: "${id}", input: { title: "PWNED", ingredients: ["x"], steps: ["x"] }) { id } }`],
  ["update in an inline fragment", (id) => `mutation { ... on Mutation { updateRecipe(id: "${id}", input: { title: "PWNED", ingredients: ["x"], steps: ["x"] }) { id } } }`],
  ["update under @include(if: true)", (id) => `mutation { updateRecipe(id: "${id}", input: { title: "PWNED", ingredients: ["x"], steps: ["x"] }) @include(if: true) { id } }`],
  ["publish", (id) => `mutation { publishRecipe(id: "${id}") { id } }`],
  ["publish after an allowed create", (id) => `mutation { createRecipe(input: { title: "mine", ingredients: ["x"], steps: ["x"] }) { id } publishRecipe(id: "${id}") { id } }`],
  ["delete", (id) => `mutation { deleteRecipe(id: "${id}") }`],
  ["delete twice under two aliases", (id) => `mutation { a: deleteRecipe(id: "${id}") b: deleteRecipe(id: "${id}") }`],
  ["update with a padded id", (id) => `mutation { updateRecipe(id: " ${id} ", input: { title: "PWNED", ingredients: ["x"], steps: ["x"] }) { id } }`],
];

describe("another author's recipe cannot be changed by any route", () => {
  it.each(routes)("joe: %s", async (_name, make) => {
    const { id, row } = await setup();
    const res = await gql(t.url, make(id), { authorization: `Bearer ${joe}`, variables: { id, i: INPUT } });
    expect(res.status).toBeLessThan(500);
    const codes = (res.json().errors ?? []).map((e) => e.extensions?.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c === "FORBIDDEN" || c === "NOT_FOUND" || c === "BAD_USER_INPUT")).toBe(true);
    expect(await row()).toEqual({ title: "Jane's secret draft", published: false });
  });

  it.each(routes)("anonymous: %s", async (_name, make) => {
    const { id, row } = await setup();
    const res = await gql(t.url, make(id), { variables: { id, i: INPUT } });
    expect(res.status).toBeLessThan(500);
    expect((res.json().errors ?? []).map((e) => e.extensions?.code)).toContain("UNAUTHENTICATED");
    expect(await row()).toEqual({ title: "Jane's secret draft", published: false });
  });

  it("lets Jane change her own draft through the same routes (control)", async () => {
    const { id, row } = await setup();
    const res = await gql(t.url, routes[3]![1](id), { authorization: `Bearer ${jane}` });
    expect(res.json().errors).toBeUndefined();
    expect((await row())?.title).toBe("PWNED");
  });

  it("never creates a recipe owned by someone else, whatever the input claims", async () => {
    const res = await gql(t.url, 'mutation { createRecipe(input: { title: "x", ingredients: [], steps: [], createdBy: "jane" }) { id } }', { authorization: `Bearer ${joe}` });
    expect(res.json().data ?? null).toBeNull();
    const ok = await gql(t.url, "mutation($i: RecipeInput!) { createRecipe(input: $i) { createdBy { username } } }", {
      authorization: `Bearer ${joe}`,
      variables: { i: { ...INPUT, createdBy: { id: "jane" }, __proto__: { createdBy: "jane" } } },
    });
    // Unknown input fields are a validation error; either way the recipe is never Jane's.
    expect(JSON.stringify(ok.json())).not.toContain('"username":"jane"');
  });
});

describe("identity from headers a proxy might set is ignored", () => {
  it.each(["x-user-id", "x-forwarded-user", "x-remote-user", "x-authenticated-userid", "x-identity"])("%s does not make a caller anyone", async (header) => {
    const spoofed = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", [header]: "admin" },
      body: JSON.stringify({ query: "{ me { id username } }" }),
    });
    expect(spoofed.status).toBe(200);
    expect(((await spoofed.json()) as { data: { me: unknown } }).data.me).toBeNull();
  });
});
