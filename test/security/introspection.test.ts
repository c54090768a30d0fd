// Introspection: in production mode the recipes app answers `__schema` /
// `__type` to signed-in callers only; development keeps it open (GraphiQL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raw, startApp, tokenFor, type TestApp } from "./fixtures/app.js";

const INTROSPECTION = "{ __schema { queryType { name } types { name } } }";
const TYPE = '{ __type(name: "User") { fields { name } } }';

function gql(t: TestApp, query: string, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return raw(t.url, "/graphql", { headers, body: JSON.stringify({ query }) });
}

describe("introspection in production mode", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startApp({ nodeEnv: "production" });
    // Production seeds nobody: one operator account.
    await t.app.store.users.create({ username: "ops", password: "ops-password", displayName: "Ops" });
    token = await tokenFor(t.url, "ops");
  });
  afterAll(async () => {
    await t?.app.close();
  });

  it.each([INTROSPECTION, TYPE])("refuses anonymous callers: %s", async (query) => {
    const res = await gql(t, query);
    const body = res.json();
    // `__schema` is non-null (the whole data is null), `__type` nullable (it is null).
    expect(Object.values(body.data ?? {}).every((v) => v === null)).toBe(true);
    expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.text).not.toContain("RecipeInput");
    expect(res.text).not.toContain("email");
  });

  it("answers signed-in callers", async () => {
    const body = (await gql(t, INTROSPECTION, token)).json();
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema.queryType.name).toBe("Query");
  });

  it("__typename stays available to everyone", async () => {
    expect((await gql(t, "{ __typename }")).json().data).toEqual({ __typename: "Query" });
  });
});

describe("introspection in development mode", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ nodeEnv: "development" });
  });
  afterAll(async () => {
    await t?.app.close();
  });

  it("stays open to anonymous callers (GraphiQL)", async () => {
    const body = (await gql(t, INTROSPECTION)).json();
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema.queryType.name).toBe("Query");
  });
});
