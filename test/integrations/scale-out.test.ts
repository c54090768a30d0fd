// Two store instances on one Postgres schema stand for two nodes: a running subscription on
// node B, guarded as docs/scaling.md shows, ends with an error once a change made through node A
// takes its access away (revoked sessions, a revoked API key, a role taken away), and never
// delivers an event that B received after hearing of the change.
import { makeExecutableSchema } from "@graphql-tools/schema";
import { parse, type ExecutionResult } from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import { createSecurity, type Authenticator, type SecurityContext } from "gatehouse";
import { createAuthz, hasPermission, allow } from "gatehouse/graphql";
import { apiKeyAuthenticator, authenticateRequest } from "gatehouse/http";
import { createStore, revocationGuard, storeAuthorizer, watchIdentity, type Store, type StoreChange } from "gatehouse/store";
import { dropSchema, FAST_SCRYPT, PG_URL, randomSchema, unique } from "../store/helpers.js";

interface Ctx {
  request: { headers: Record<string, string> };
  security: SecurityContext;
}

/** A compact JWT-shaped token with `sub` and `iat`; the stand-in authenticator below accepts any. */
function tokenFor(sub: string, iat = Math.floor(Date.now() / 1000) - 5): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part({ sub, iat })}.sig`;
}

const anyToken: Authenticator = async (credentials) => {
  if (credentials.token === undefined) return null;
  const sub = JSON.parse(Buffer.from(credentials.token.split(".")[1]!, "base64url").toString()).sub as string;
  return { id: sub, type: "user" };
};

/** A source the test pushes events into. */
function channel() {
  const queue: string[] = [];
  let waiting: ((r: IteratorResult<string>) => void) | null = null;
  const iterator: AsyncIterableIterator<string> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => (queue.length > 0 ? Promise.resolve({ done: false, value: queue.shift()! }) : new Promise((resolve) => (waiting = resolve))),
    async return() {
      waiting?.({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
  };
  return {
    iterator,
    push(value: string) {
      const w = waiting;
      waiting = null;
      if (w) w({ done: false, value });
      else queue.push(value);
    },
  };
}

/** Node B: its security (session tokens behind the revocation guard, API keys) and a guarded `feed` subscription. */
function nodeOn(store: Store) {
  const tokens = revocationGuard(store, anyToken, { ttlMs: 600_000 });
  const keys = apiKeyAuthenticator({ lookup: (id) => store.apiKeys.lookup(id) });
  const authorizer = storeAuthorizer(store, { ttlMs: 600_000 });
  const security = createSecurity({ authenticators: [tokens, keys], authorizers: [authorizer] });
  const source = channel();
  const schema = makeExecutableSchema({
    typeDefs: "type Query { ok: Boolean } type Subscription { feed: String! }",
    resolvers: { Subscription: { feed: { subscribe: () => source.iterator, resolve: (v: string) => v } } },
  });
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, CanRead: hasPermission("feed.read") },
    authSchema: { Query: { ok: { __authz: { rules: ["Anyone"] } } }, Subscription: { feed: { __authz: { rules: ["CanRead"] } } } },
    subscriptions: {
      watch: (ctx: Ctx, changed) => watchIdentity(store, ctx.security.identity, changed),
      refresh: async (ctx: Ctx) => {
        ctx.security = await authenticateRequest(security, ctx.request);
        return ctx;
      },
    },
  });
  async function subscribe(headers: Record<string, string>): Promise<AsyncGenerator<ExecutionResult>> {
    const request = { headers };
    const contextValue: Ctx = { request, security: await authenticateRequest(security, request) };
    const result = await authz.subscribe({ schema, document: parse("subscription { feed }"), contextValue });
    if (!(Symbol.asyncIterator in result)) throw new Error(`not a stream: ${JSON.stringify(result)}`);
    return result as AsyncGenerator<ExecutionResult>;
  }
  return {
    security,
    source,
    subscribe,
    dispose() {
      tokens.dispose();
      authorizer.dispose();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The next result of `stream`, or "timeout" past `ms`. */
async function nextWithin(stream: AsyncGenerator<ExecutionResult>, ms: number): Promise<IteratorResult<ExecutionResult> | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([stream.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once `store` has heard a change matching `match` (from any node). */
function heard(store: Store, match: (change: StoreChange) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const off = store.onChange((change) => {
      if (match(change)) {
        off();
        resolve();
      }
    });
  });
}

const codesOf = (r: IteratorResult<ExecutionResult> | "timeout") => (r === "timeout" || r.done ? r : r.value.errors?.map((e) => e.extensions?.code));

describe.skipIf(!PG_URL)("subscriptions on two nodes [postgres]", () => {
  let stores: Store[] = [];
  let schema = "";
  let disposers: Array<() => void> = [];
  afterEach(async () => {
    for (const dispose of disposers) dispose();
    await Promise.all(stores.map((s) => s.close()));
    if (schema) await dropSchema(schema);
    stores = [];
    disposers = [];
  });

  async function twoNodes() {
    schema = randomSchema();
    const a = await createStore({ url: PG_URL, schema, scrypt: FAST_SCRYPT });
    stores.push(a);
    const b = await createStore({ url: PG_URL, schema, scrypt: FAST_SCRYPT });
    stores.push(b);
    const role = unique("reader");
    await a.roles.create({ slug: role, name: "Reader", permissions: [{ name: "feed.read" }] });
    const node = nodeOn(b);
    disposers.push(() => node.dispose());
    return { a, b, role, node };
  }

  /** Delivers one event while access holds (the guard has cached "allowed" on B). */
  async function live(node: ReturnType<typeof nodeOn>, stream: AsyncGenerator<ExecutionResult>) {
    node.source.push("before");
    expect(await nextWithin(stream, 1000)).toEqual({ done: false, value: { data: { feed: "before" } } });
  }

  /**
   * `change` is made through A. Once B heard of it, an event arrives on B: the stream ends with
   * `code` within a second of the change, never with the event.
   */
  async function endsWith(stream: AsyncGenerator<ExecutionResult>, node: ReturnType<typeof nodeOn>, wasHeard: Promise<void>, change: () => Promise<unknown>, code: string) {
    const deadline = Date.now() + 1000;
    await change();
    expect(await Promise.race([wasHeard.then(() => "heard"), sleep(deadline - Date.now()).then(() => "not heard within 1 s")])).toBe("heard");
    node.source.push("after");
    expect(codesOf(await nextWithin(stream, Math.max(0, deadline - Date.now())))).toEqual([code]);
    expect(await nextWithin(stream, 1000)).toEqual({ done: true, value: undefined });
  }

  it("revokeSessions through A ends a token's subscription on B with INVALID_CREDENTIALS", async () => {
    const { a, b, role, node } = await twoNodes();
    const user = unique("user");
    await a.assignments.assign(user, { roles: [role] });
    const stream = await node.subscribe({ authorization: `Bearer ${tokenFor(user)}` });
    await live(node, stream);
    const wasHeard = heard(b, (c) => c.kind === "session" && c.id === user);
    await endsWith(stream, node, wasHeard, () => a.revokeSessions(user), "INVALID_CREDENTIALS");
  });

  it("an API key revoked through A ends its subscription on B with INVALID_CREDENTIALS", async () => {
    const { a, b, role, node } = await twoNodes();
    const created = await a.apiKeys.create({ name: "feed", ownerId: unique("svc"), roles: [role] });
    const stream = await node.subscribe({ "x-api-key": created.key });
    await live(node, stream);
    const wasHeard = heard(b, (c) => c.kind === "apiKey" && c.id === created.id);
    await endsWith(stream, node, wasHeard, () => a.apiKeys.revoke(created.id), "INVALID_CREDENTIALS");
  });

  it("a role taken away through A ends the subscription on B with FORBIDDEN; the token stays valid", async () => {
    const { a, b, role, node } = await twoNodes();
    const user = unique("user");
    await a.assignments.assign(user, { roles: [role] });
    const headers = { authorization: `Bearer ${tokenFor(user)}` };
    const stream = await node.subscribe(headers);
    await live(node, stream);
    const wasHeard = heard(b, (c) => c.kind === "assignment" && c.id === user);
    await endsWith(stream, node, wasHeard, () => a.assignments.unassign(user, { roles: [role] }), "FORBIDDEN");
    // The token still authenticates on B; it just grants nothing now.
    const ctx = await authenticateRequest(node.security, { headers });
    expect(ctx.identity?.id).toBe(user);
    expect(await ctx.getPermissions()).toEqual([]);
  });

  it("a role's permissions edited through A end the subscription on B with FORBIDDEN", async () => {
    const { a, b, role, node } = await twoNodes();
    const user = unique("user");
    await a.assignments.assign(user, { roles: [role] });
    const stream = await node.subscribe({ authorization: `Bearer ${tokenFor(user)}` });
    await live(node, stream);
    const wasHeard = heard(b, (c) => c.kind === "role" && c.id === role);
    await endsWith(stream, node, wasHeard, () => a.roles.update(role, { permissions: [{ name: "other.thing" }] }), "FORBIDDEN");
  });
});
