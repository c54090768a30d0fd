// Logout, session revocation by an admin, and the recipeChanged subscription over SSE, on one app.
import { describe, expect, it } from "vitest";
import { codes, createRecipe, gql, login, PUBLISH, recipeInput, tokenFor, useRecipesApp, BACKENDS } from "./helpers.js";
import { subscribeSse, type SseSubscription } from "./sse.js";

const SUBSCRIPTION = "subscription { recipeChanged { id title published } }";
const REVOKE = "mutation($u: String!) { revokeSessions(username: $u) }";
const UPDATE = "mutation($id: ID!, $input: RecipeInput!) { updateRecipe(id: $id, input: $input) { id } }";
const DELETE = "mutation($id: ID!) { deleteRecipe(id: $id) }";

async function logout(url: string, token?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}/auth/logout`, { method: "POST", headers });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as { error?: { code?: string } }) };
}

/** Collects `next` events until `count` arrived or nothing came for `quietMs`. */
async function take(sub: SseSubscription, count: number, quietMs = 1500) {
  const out = [];
  while (out.length < count) {
    const e = await sub.next(quietMs);
    if (!e) break;
    out.push(e);
  }
  return out;
}

/** A second so that a fresh token's `iat` is past a revocation made now. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));

describe.each(BACKENDS.filter((b) => b.enabled))("sessions and subscriptions [$name]", (backend) => {
  const suite = useRecipesApp(backend);

  it("POST /auth/logout revokes the caller's tokens (204); a later login works", async () => {
    const { url } = suite.t;
    const token = await tokenFor(url, "joe");
    expect((await gql(url, "{ me { username } }", undefined, token)).body.data?.me).toEqual({ username: "joe" });
    expect((await logout(url, token)).status).toBe(204);
    const after = await gql(url, "{ me { username } }", undefined, token);
    expect(after.status).toBe(401);
    expect(codes(after)).toEqual(["INVALID_CREDENTIALS"]);
    expect((await logout(url, token)).body?.error?.code).toBe("INVALID_CREDENTIALS");
    await nextSecond();
    const fresh = await tokenFor(url, "joe");
    expect((await gql(url, "{ me { username } }", undefined, fresh)).body.data?.me).toEqual({ username: "joe" });
    suite.tokens.joe = fresh;
  });

  it("POST /auth/logout without a token is 401 UNAUTHENTICATED; with a bad one INVALID_CREDENTIALS", async () => {
    const { url } = suite.t;
    expect(await logout(url)).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    expect(await logout(url, "not.a.token")).toMatchObject({ status: 401, body: { error: { code: "INVALID_CREDENTIALS" } } });
    const get = await fetch(`${url}/auth/logout`);
    expect(get.status).toBe(405);
  });

  it("revokeSessions: admins only; an unknown username answers false", async () => {
    const { url } = suite.t;
    const jane = await tokenFor(url, "jane");
    const joe = suite.tokens.joe!;
    expect(codes(await gql(url, REVOKE, { u: "jane" }, joe))).toEqual(["FORBIDDEN"]);
    expect(codes(await gql(url, REVOKE, { u: "jane" }))).toEqual(["UNAUTHENTICATED"]);
    expect((await gql(url, "{ me { username } }", undefined, jane)).body.data?.me).toEqual({ username: "jane" });
    expect((await gql(url, REVOKE, { u: "nobody-here" }, suite.tokens.admin)).body.data).toEqual({ revokeSessions: false });
    expect((await gql(url, REVOKE, { u: "jane" }, suite.tokens.admin)).body.data).toEqual({ revokeSessions: true });
    expect(codes(await gql(url, "{ me { username } }", undefined, jane))).toEqual(["INVALID_CREDENTIALS"]);
    await nextSecond();
    suite.tokens.jane = await tokenFor(url, "jane");
  });

  it("revokeSessions takes usernames only, also one that spells another user's id", async () => {
    const { url, app } = suite.t;
    const joe = (await app.store.users.get("joe"))!;
    // An id is not a username.
    expect((await gql(url, REVOKE, { u: joe.id }, suite.tokens.admin)).body.data).toEqual({ revokeSessions: false });
    // Usernames may look like ids: this one is Joe's id.
    await app.store.users.create({ username: joe.id, password: `${joe.id}-password`, displayName: "Look-alike" });
    const lookAlike = await tokenFor(url, joe.id);
    expect((await gql(url, REVOKE, { u: joe.id }, suite.tokens.admin)).body.data).toEqual({ revokeSessions: true });
    expect(codes(await gql(url, "{ me { username } }", undefined, lookAlike))).toEqual(["INVALID_CREDENTIALS"]);
    expect((await gql(url, "{ me { username } }", undefined, suite.tokens.joe)).body.data?.me).toEqual({ username: "joe" });
  });

  it("recipeChanged: anonymous subscribers get published recipes only; deletes are not sent", async () => {
    const { url } = suite.t;
    const anonymous = await subscribeSse(url, SUBSCRIPTION);
    expect(anonymous.status).toBe(200);
    const jane = suite.tokens.jane!;
    const draft = await createRecipe(url, jane, "Anon draft");
    await gql(url, UPDATE, { id: draft.id, input: recipeInput("Anon draft edited") }, jane);
    await gql(url, PUBLISH, { id: draft.id }, jane);
    await gql(url, DELETE, { id: draft.id }, jane);
    const events = await take(anonymous, 5, 1000);
    anonymous.close();
    expect(events.map((e) => e.data?.data?.recipeChanged)).toEqual([{ id: draft.id, title: "Anon draft edited", published: true }]);
  });

  it("recipeChanged: an author sees her own drafts, not other authors'", async () => {
    const { url } = suite.t;
    const sub = await subscribeSse(url, SUBSCRIPTION, suite.tokens.jane);
    const joeDraft = await createRecipe(url, suite.tokens.joe!, "Joe secret draft");
    const janeDraft = await createRecipe(url, suite.tokens.jane!, "Jane draft");
    await gql(url, UPDATE, { id: janeDraft.id, input: recipeInput("Jane draft v2") }, suite.tokens.jane);
    const events = await take(sub, 3, 1000);
    sub.close();
    expect(events.map((e) => e.data?.data?.recipeChanged?.title)).toEqual(["Jane draft", "Jane draft v2"]);
    expect(JSON.stringify(events)).not.toContain(joeDraft.id);
  });

  it("a subscription ends with INVALID_CREDENTIALS when its sessions are revoked", async () => {
    const { url, app } = suite.t;
    const token = await tokenFor(url, "ed");
    const sub = await subscribeSse(url, SUBSCRIPTION, token);
    await createRecipe(url, suite.tokens.jane!, "Before");
    expect((await sub.next())?.data?.data?.recipeChanged?.title).toBe("Before");
    const ed = (await app.store.users.get("ed"))!;
    await app.store.revokeSessions(ed.id);
    const end = await sub.next();
    expect(end?.data?.errors?.map((e) => e.extensions?.code)).toEqual(["INVALID_CREDENTIALS"]);
    await createRecipe(url, suite.tokens.jane!, "After");
    expect((await take(sub, 1, 500)).filter((e) => e.event === "next")).toEqual([]);
    sub.close();
  });

  it("a subscriber whose role is taken away is cut off with FORBIDDEN", async () => {
    const { url, app } = suite.t;
    const joe = (await app.store.users.get("joe"))!;
    const sub = await subscribeSse(url, SUBSCRIPTION, suite.tokens.joe);
    await createRecipe(url, suite.tokens.joe!, "Joe before");
    expect((await sub.next())?.data?.data?.recipeChanged?.title).toBe("Joe before");
    await app.store.assignments.unassign(joe.id, { roles: ["author"] });
    try {
      const end = await sub.next();
      expect(end?.data?.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    } finally {
      await app.store.assignments.assign(joe.id, { roles: ["author"] });
      sub.close();
    }
  });

  it("the 11th login attempt for one username is refused", async () => {
    const { url } = suite.t;
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(url, "ed", "wrong-password")).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
