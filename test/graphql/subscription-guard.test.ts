import { makeExecutableSchema } from "@graphql-tools/schema";
import { parse, type ExecutionResult } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { createSecurityContext, InvalidCredentialsError, type Permission, type SecurityContext } from "gatehouse";
import { allow, createAuthz, hasPermission, type SubscriptionGuardOptions } from "gatehouse/graphql";

interface Ctx {
  security: SecurityContext;
}

/** A source the test pushes events into; records whether it was closed. */
function channel() {
  const queue: unknown[] = [];
  let waiting: ((r: IteratorResult<unknown>) => void) | null = null;
  const state = { closed: false };
  const iterator: AsyncIterableIterator<unknown> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (state.closed) return Promise.resolve({ done: true, value: undefined });
      if (queue.length > 0) return Promise.resolve({ done: false, value: queue.shift() });
      return new Promise((resolve) => (waiting = resolve));
    },
    async return() {
      state.closed = true;
      waiting?.({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
  };
  return {
    iterator,
    state,
    push(value: unknown) {
      if (waiting) {
        const w = waiting;
        waiting = null;
        w({ done: false, value });
      } else queue.push(value);
    },
  };
}

const FEED: Permission = { name: "feed.read" };
const SECRET: Permission = { name: "feed.secret" };

function setup(guardOverrides: Partial<SubscriptionGuardOptions<Ctx>> = {}, onItemResolved?: () => void) {
  const source = channel();
  const schema = makeExecutableSchema({
    typeDefs: "type Query { ok: Boolean } type Item { id: ID! secret: String } type Subscription { feed: Item! }",
    resolvers: {
      Subscription: { feed: { subscribe: () => source.iterator, resolve: (item: unknown) => (onItemResolved?.(), item) } },
    },
  });
  // What the store would say now: the test edits it, then calls `changed`.
  const granted = { permissions: [FEED, SECRET] as Permission[] };
  let changed: () => void = () => undefined;
  const stop = vi.fn();
  const security = () => createSecurityContext({ identity: { id: "u1" }, permissions: granted.permissions });
  const guard: SubscriptionGuardOptions<Ctx> = {
    watch: (_ctx, notify) => {
      changed = notify;
      return stop;
    },
    refresh: (ctx) => ({ ...ctx, security: security() }),
    ...guardOverrides,
  };
  const authz = createAuthz({
    schema,
    rules: { Anyone: allow, CanRead: hasPermission("feed.read"), CanSeeSecret: hasPermission("feed.secret") },
    authSchema: {
      Query: { ok: { __authz: { rules: ["Anyone"] } } },
      Subscription: { feed: { __authz: { rules: ["CanRead"] } } },
      Item: { id: { __authz: { rules: ["Anyone"] } }, secret: { __authz: { rules: ["CanSeeSecret"] } } },
    },
    subscriptions: guard,
  });
  async function subscribe() {
    const result = await authz.subscribe({ schema, document: parse("subscription { feed { id secret } }"), contextValue: { security: security() } });
    if (!(Symbol.asyncIterator in result)) throw new Error(`not a stream: ${JSON.stringify(result)}`);
    return result;
  }
  return { authz, schema, source, granted, stop, subscribe, security, change: () => changed() };
}

const item = (id: string) => ({ id, secret: `s-${id}` });

describe("subscriptions re-judged on change", () => {
  it("delivers events while access holds", async () => {
    const s = setup();
    const stream = await s.subscribe();
    s.source.push(item("1"));
    expect((await stream.next()).value).toEqual({ data: { feed: { id: "1", secret: "s-1" } } });
    await stream.return();
    expect(s.stop).toHaveBeenCalledOnce();
    expect(s.source.state.closed).toBe(true);
  });

  it("ends with FORBIDDEN when the subscriber lost the root field, even with no event coming", async () => {
    const s = setup();
    const stream = await s.subscribe();
    const next = stream.next(); // waiting for an event that never comes
    s.granted.permissions = [];
    s.change();
    const ended = await next;
    expect(ended.done).toBe(false);
    expect((ended.value as ExecutionResult).errors?.map((e) => e.extensions.code)).toEqual(["FORBIDDEN"]);
    expect((ended.value as ExecutionResult).data).toBeUndefined();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(s.stop).toHaveBeenCalledOnce();
    expect(s.source.state.closed).toBe(true);
  });

  it("runs later events with the rebuilt context: a field access was lost on is withheld", async () => {
    const s = setup();
    const stream = await s.subscribe();
    s.granted.permissions = [FEED];
    s.change();
    s.source.push(item("2"));
    const { value } = await stream.next();
    expect((value as ExecutionResult).data).toEqual({ feed: { id: "2", secret: null } });
    expect((value as ExecutionResult).errors?.map((e) => [e.path, e.extensions.code])).toEqual([[["feed", "secret"], "FORBIDDEN"]]);
    expect(JSON.stringify(value)).not.toContain("s-2");
    await stream.return();
  });

  it("an event queued before the change is judged with the new access", async () => {
    const s = setup();
    const stream = await s.subscribe();
    s.source.push(item("3"));
    s.granted.permissions = [];
    s.change();
    const { value } = await stream.next();
    expect((value as ExecutionResult).errors?.[0]?.extensions.code).toBe("FORBIDDEN");
    expect(JSON.stringify(value)).not.toContain("s-3");
    expect((await stream.next()).done).toBe(true);
  });

  it("a change heard while an event runs makes it run again with the new access", async () => {
    let once = true;
    const s = setup({}, () => {
      if (!once) return;
      once = false;
      s.granted.permissions = [FEED];
      s.change();
    });
    const stream = await s.subscribe();
    s.source.push(item("4"));
    const { value } = await stream.next();
    expect((value as ExecutionResult).data).toEqual({ feed: { id: "4", secret: null } });
    await stream.return();
  });

  it("a refresh that refuses the credential ends the stream with its code", async () => {
    const s = setup({
      refresh: () => {
        throw new InvalidCredentialsError("Session revoked.");
      },
    });
    const stream = await s.subscribe();
    s.change();
    const { value } = await stream.next();
    expect((value as ExecutionResult).errors?.map((e) => [e.message, e.extensions.code])).toEqual([["Session revoked.", "INVALID_CREDENTIALS"]]);
    expect((await stream.next()).done).toBe(true);
  });

  it("an unexpected refresh failure ends the stream masked and is reported", async () => {
    const onError = vi.fn();
    const s = setup({
      refresh: async () => {
        throw new Error("db password=hunter2 unreachable");
      },
      onError,
    });
    const stream = await s.subscribe();
    s.change();
    const { value } = await stream.next();
    expect((value as ExecutionResult).errors?.[0]?.extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(value)).not.toContain("hunter2");
    expect(onError).toHaveBeenCalledOnce();
    expect((await stream.next()).done).toBe(true);
  });

  it("a change between watching and the first judgement is not missed", async () => {
    const s = setup({
      watch: (_ctx, changed) => {
        changed();
      },
    });
    s.granted.permissions = [];
    const result = await s.authz.subscribe({
      schema: s.schema,
      document: parse("subscription { feed { id } }"),
      contextValue: { security: createSecurityContext({ identity: { id: "u1" }, permissions: [FEED] }) },
    });
    if (!(Symbol.asyncIterator in result)) throw new Error("expected a stream");
    expect((await result.next()).value?.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
  });

  it("a root field denied at the start opens no stream and stops watching", async () => {
    const s = setup();
    const result = await s.authz.subscribe({
      schema: s.schema,
      document: parse("subscription { feed { id } }"),
      contextValue: { security: createSecurityContext({ identity: { id: "u1" }, permissions: [] }) },
    });
    expect(result).toMatchObject({ errors: [{ extensions: { code: "FORBIDDEN" } }] });
    expect(s.stop).toHaveBeenCalledOnce();
  });

  it("return() while waiting for an event ends at once", async () => {
    const s = setup();
    const stream = await s.subscribe();
    const pending = stream.next();
    await stream.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(s.stop).toHaveBeenCalledOnce();
  });

  it("rejects malformed subscriptions options at construction", () => {
    const schema = makeExecutableSchema({ typeDefs: "type Query { ok: Boolean }" });
    const base = { schema, rules: { Anyone: allow }, authSchema: { "*": { "*": { __authz: { rules: ["Anyone"] } } } } };
    for (const bad of [null, 1, {}, { watch: () => undefined }, { watch: () => undefined, refresh: () => undefined, onError: 1 }]) {
      expect(() => createAuthz({ ...base, subscriptions: bad as never })).toThrow(TypeError);
    }
  });
});
