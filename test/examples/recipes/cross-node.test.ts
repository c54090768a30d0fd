// Two app instances on one Postgres schema stand for two nodes: sessions ended on one are refused
// by both within a second (401 INVALID_CREDENTIALS), a token from a later second works on both,
// and a subscriber on one is cut off by a change made on the other without receiving what it may
// no longer read. Every test has users of its own, so the order of tests does not matter.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createRecipe, gql, PG_URL, startApp, tokenFor, uniqueSchema, type GqlResponse, type TestApp } from "./helpers.js";
import { subscribeSse, type SseEvent, type SseSubscription } from "./sse.js";

const ME = "{ me { username } }";
const SUBSCRIPTION = "subscription { recipeChanged { id title published } }";
const REVOKE = "mutation($u: String!) { revokeSessions(username: $u) }";

/** Polls `check` every 20 ms until it holds or `deadline` (ms since the epoch) has passed; whether it held. */
async function until(deadline: number, check: () => Promise<boolean>): Promise<boolean> {
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the clock is in a later second than `at`: a token signed then has a later `iat`. */
async function secondAfter(at: number): Promise<void> {
  while (Math.floor(Date.now() / 1000) <= Math.floor(at / 1000)) await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
}

const refused = (res: GqlResponse) => res.status === 401 && codes(res).join() === "INVALID_CREDENTIALS";
const isMe = (res: GqlResponse, username: string) => res.status === 200 && res.body.data?.me?.username === username;

/** `POST /auth/logout` with a bearer token; the status. */
async function logout(url: string, token: string): Promise<number> {
  return (await fetch(`${url}/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } })).status;
}

/** Every event until the stream ends or nothing comes for `quietMs`. */
async function drain(sub: SseSubscription, quietMs: number): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for (let e = await sub.next(quietMs); e; e = await sub.next(quietMs)) out.push(e);
  return out;
}

describe.skipIf(!PG_URL)("two app instances on one Postgres: sessions and subscriptions", () => {
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

  /** A user of this test alone with `role`, created through A. */
  async function newUser(role: string): Promise<string> {
    const username = `u${randomBytes(5).toString("hex")}`;
    const user = await a.app.store.users.create({ username, password: `${username}-password`, displayName: username });
    await a.app.store.assignments.assign(user.id, { roles: [role] });
    return username;
  }

  it("a logout on A refuses every earlier token of the user on both nodes within a second; a later one works on both", async () => {
    const username = await newUser("author");
    const tokens = [await tokenFor(a.url, username), await tokenFor(b.url, username)];
    // Both nodes have checked both tokens: each has cached "never revoked" for the user.
    for (const node of [a, b]) for (const token of tokens) expect(isMe(await gql(node.url, ME, undefined, token), username)).toBe(true);

    const deadline = Date.now() + 1000;
    expect(await logout(a.url, tokens[0]!)).toBe(204);
    const loggedOutAt = Date.now();
    for (const node of [b, a]) {
      for (const token of tokens) expect(await until(deadline, async () => refused(await gql(node.url, ME, undefined, token)))).toBe(true);
    }

    await secondAfter(loggedOutAt);
    const later = await tokenFor(b.url, username);
    for (const node of [a, b]) expect(isMe(await gql(node.url, ME, undefined, later), username)).toBe(true);
    // The old ones stay refused.
    for (const token of tokens) expect(refused(await gql(b.url, ME, undefined, token))).toBe(true);
  });

  it("an admin's revokeSessions on A refuses the user's tokens on B within a second", async () => {
    const username = await newUser("author");
    const token = await tokenFor(b.url, username);
    expect(isMe(await gql(b.url, ME, undefined, token), username)).toBe(true);
    // Not for non-admins, on either node; the user's token still works after their attempt.
    expect(codes(await gql(b.url, REVOKE, { u: username }, token))).toEqual(["FORBIDDEN"]);
    expect(isMe(await gql(a.url, ME, undefined, token), username)).toBe(true);

    const admin = await tokenFor(a.url, "admin");
    const deadline = Date.now() + 1000;
    expect((await gql(a.url, REVOKE, { u: username }, admin)).body).toEqual({ data: { revokeSessions: true } });
    expect(await until(deadline, async () => refused(await gql(b.url, ME, undefined, token)))).toBe(true);
    expect((await gql(b.url, REVOKE, { u: `${username}-nobody` }, admin)).body).toEqual({ data: { revokeSessions: false } });
  });

  it("a logout on A ends a subscription on B with INVALID_CREDENTIALS within a second; nothing follows", async () => {
    const username = await newUser("author");
    const token = await tokenFor(a.url, username);
    const sub = await subscribeSse(b.url, SUBSCRIPTION, token);
    try {
      expect(sub.status).toBe(200);
      // Live: the user's own draft, created on A, reaches the subscriber on B.
      const draft = await createRecipe(a.url, token, "Own draft");
      expect((await sub.next(2000))?.data?.data?.recipeChanged).toEqual({ id: draft.id, title: "Own draft", published: false });

      const deadline = Date.now() + 1000;
      expect(await logout(a.url, token)).toBe(204);
      const end = await sub.next(Math.max(0, deadline - Date.now()));
      expect(end?.data?.errors?.map((e) => e.extensions?.code)).toEqual(["INVALID_CREDENTIALS"]);
      // A published recipe anyone could read is no longer sent on that stream.
      const ed = await tokenFor(a.url, "ed");
      await gql(a.url, "mutation($id: ID!) { publishRecipe(id: $id) { id } }", { id: (await createRecipe(a.url, ed, "After logout")).id }, ed);
      expect((await drain(sub, 500)).filter((e) => e.event !== "complete")).toEqual([]);
      // Subscribing again on B with that token: 401 INVALID_CREDENTIALS, no stream.
      const again = await subscribeSse(b.url, SUBSCRIPTION, token);
      again.close();
      expect(again.status).toBe(401);
    } finally {
      sub.close();
    }
  });

  it("a role taken away on A: the token stays valid on B, B refuses what it no longer allows, and a subscriber on B is cut off without the drafts", async () => {
    const username = await newUser("editor");
    const token = await tokenFor(b.url, username);
    const joe = await tokenFor(a.url, "joe");
    const sub = await subscribeSse(b.url, SUBSCRIPTION, token);
    try {
      expect(sub.status).toBe(200);
      // As an editor it reads other authors' drafts: Joe's, made on A, reaches it on B.
      const before = await createRecipe(a.url, joe, "Joe draft before");
      expect((await sub.next(2000))?.data?.data?.recipeChanged?.id).toBe(before.id);

      const deadline = Date.now() + 1000;
      const user = (await a.app.store.users.get(username))!;
      await a.app.store.assignments.unassign(user.id, { roles: ["editor"] });
      // Drafts made once A has committed the change: never delivered to the subscriber on B.
      const after = await createRecipe(a.url, joe, "Joe draft after");
      const end = await sub.next(Math.max(0, deadline - Date.now()));
      expect(end?.data?.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      const rest = await drain(sub, 500);
      expect(JSON.stringify([end, ...rest])).not.toContain(after.id);

      expect(await until(deadline, async () => codes(await gql(b.url, "query($id: ID!) { recipe(id: $id) { id } }", { id: before.id }, token)).includes("FORBIDDEN"))).toBe(true);
      expect(isMe(await gql(b.url, ME, undefined, token), username)).toBe(true);
    } finally {
      sub.close();
    }
  });
});
