import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "gatehouse/store";
import { sendJson } from "./respond.js";

/** Options for {@link createReadiness}. */
export interface ReadinessOptions {
  db: Db;
  /** Migration ids that must be recorded (the app's last ones imply gatehouse's). */
  migrationIds: readonly string[];
  /** How long one check's answer is reused, in milliseconds. @default 1000 */
  cacheMs?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** Why the app is not ready. */
export type NotReadyReason = "database unreachable" | "database not migrated";

/** Whether the database can serve requests. */
export interface Readiness {
  /** `null` when ready, else the reason. At most one query per `cacheMs`, shared by concurrent callers. */
  check(): Promise<NotReadyReason | null>;
}

/**
 * Readiness from the database itself: reachable, and every migration the app
 * needs recorded. A database recreated empty (no `gatehouse_migrations`, or
 * missing rows) is "not migrated": API requests are answered 503 until it is
 * migrated again (restart the app, which migrates on start), instead of
 * each one failing as a masked 500.
 */
export function createReadiness(options: ReadinessOptions): Readiness {
  const { db, migrationIds } = options;
  const cacheMs = options.cacheMs ?? 1000;
  const now = options.now ?? Date.now;
  let last: { at: number; answer: Promise<NotReadyReason | null> } | undefined;

  async function probe(): Promise<NotReadyReason | null> {
    try {
      const { rows } = await db.query<{ id: string }>("SELECT id FROM gatehouse_migrations WHERE id = ANY($1::text[])", [[...migrationIds]]);
      return rows.length === new Set(migrationIds).size ? null : "database not migrated";
    } catch (error) {
      // 42P01: the table is gone (a recreated, empty database); anything else: unreachable.
      return (error as { code?: unknown }).code === "42P01" ? "database not migrated" : "database unreachable";
    }
  }

  return {
    check() {
      const at = now();
      if (!last || at - last.at >= cacheMs) last = { at, answer: probe() };
      return last.answer;
    },
  };
}

/** `GET /healthz`: the process is up and serving (no dependency is checked). */
export async function handleHealthz(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  sendJson(res, 200, { status: "ok" });
}

/** `GET /readyz`: 200 `{"status":"ready"}`, or 503 with the reason and `Retry-After`. */
export function createReadyzHandler(readiness: Readiness): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (_req, res) => {
    const reason = await readiness.check();
    if (reason === null) sendJson(res, 200, { status: "ready" });
    else sendNotReady(res, reason);
  };
}

/** 503 `NOT_READY` with `Retry-After: 5`; says which dependency, never why in detail. */
export function sendNotReady(res: ServerResponse, reason: NotReadyReason): void {
  sendJson(res, 503, { status: "not ready", reason, error: { code: "NOT_READY", message: "The service is not ready; retry shortly." } }, { "retry-after": "5" });
}
