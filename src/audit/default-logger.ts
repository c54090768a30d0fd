/**
 * The default audit logger: pino at level `info`, writing JSON lines to
 * stdout. Loaded lazily so `gatehouse/audit` works without pino when a
 * logger is passed in (pino is an optional dependency).
 * @module
 */
import { createRequire } from "node:module";
import type { AuditLoggerLike } from "./types.js";

type PinoFactory = (options: { level: string; base?: null }) => AuditLoggerLike & { flush?(): void };

/**
 * A pino logger, or a TypeError that says how to fix a missing install.
 * @throws TypeError when pino cannot be loaded
 * @internal
 */
export function createDefaultLogger(): AuditLoggerLike & { flush?(): void } {
  let factory: PinoFactory;
  try {
    const mod = createRequire(import.meta.url)("pino") as { pino?: PinoFactory } & PinoFactory;
    factory = mod.pino ?? mod;
  } catch (error) {
    throw new TypeError("createAuditLogger: pino is not installed; run `npm install pino` or pass options.logger.", {
      cause: error,
    });
  }
  return factory({ level: "info" });
}
