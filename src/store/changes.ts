import { randomUUID } from "node:crypto";
import type { Db, ScryptParams, StoreChange } from "./types.js";

/** The Postgres channel every store instance listens on. */
export const CHANGE_CHANNEL = "gatehouse_changes";

const KINDS: ReadonlySet<string> = new Set(["role", "group", "assignment", "apiKey", "user", "session"]);

/** What the area modules share: the database, the clock and a way to write with change events. @internal */
export interface StoreContext {
  readonly db: Db;
  now(): Date;
  readonly scrypt: ScryptParams;
  /**
   * Runs `fn` in a transaction. Its changes are sent with `pg_notify` inside that transaction
   * (so other nodes hear of them only once committed) and emitted locally after commit.
   */
  mutate<R>(fn: (tx: Db) => Promise<{ result: R; changes: StoreChange[] }>): Promise<R>;
}

/** Local listeners plus (optionally) remote delivery through NOTIFY. @internal */
export interface ChangeBus {
  on(listener: (event: StoreChange) => void): () => void;
  emit(event: StoreChange): void;
  /** Queues the NOTIFY for `event` in transaction `tx`; no-op when remote delivery is off. */
  publish(tx: Db, event: StoreChange): Promise<void>;
  /** Handles a NOTIFY payload from any node; ignores our own and other schemas'. */
  receive(payload: string): void;
}

/** @internal */
export function createChangeBus(schema: string, remote: boolean): ChangeBus {
  const listeners = new Set<(event: StoreChange) => void>();
  // Our own notifications come back to us too; the origin id lets us skip them (already emitted locally).
  const origin = randomUUID();

  function emit(event: StoreChange): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener must not break the write that triggered it, nor the other listeners.
      }
    }
  }

  return {
    on(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit,
    async publish(tx, event) {
      if (!remote) return;
      const payload = JSON.stringify({ s: schema, o: origin, k: event.kind, i: event.id });
      await tx.query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, payload]);
    },
    receive(payload) {
      let parsed: { s?: unknown; o?: unknown; k?: unknown; i?: unknown };
      try {
        parsed = JSON.parse(payload) as typeof parsed;
      } catch {
        return;
      }
      if (parsed.s !== schema || parsed.o === origin) return;
      if (typeof parsed.k !== "string" || !KINDS.has(parsed.k) || typeof parsed.i !== "string") return;
      emit({ kind: parsed.k as StoreChange["kind"], id: parsed.i });
    },
  };
}

/** Builds the `mutate` helper over a bus. @internal */
export function mutator(db: Db, bus: ChangeBus): StoreContext["mutate"] {
  return async (fn) => {
    const { result, changes } = await db.transaction(async (tx) => {
      const out = await fn(tx);
      for (const change of out.changes) await bus.publish(tx, change);
      return out;
    });
    for (const change of changes) bus.emit(change);
    return result;
  };
}
