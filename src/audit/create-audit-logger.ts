/**
 * `createAuditLogger`: one structured log line per authorization decision.
 * @module
 */
import { createDefaultLogger } from "./default-logger.js";
import { toSafeEvent } from "./redact.js";
import type { AuditEvent, AuditLoggerLike, AuditSink } from "./types.js";

/** Options of {@link createAuditLogger}. */
export interface AuditLoggerOptions {
  /**
   * Where events go: anything with pino-style `info(obj, msg)` and `warn(obj, msg)`.
   * @default pino({ level: "info" }) writing JSON lines to stdout
   */
  logger?: AuditLoggerLike;
  /**
   * Also log allowed decisions (at `info`). Denials are always logged (at `warn`).
   * @default false
   */
  logAllows?: boolean;
  /**
   * Fraction (0..1) of allowed decisions to log when `logAllows` is on;
   * denials are never sampled.
   * @default 1
   */
  allowSampleRate?: number;
  /**
   * Extra event keys to remove, e.g. `["identityId", "path"]`. Keys outside
   * the documented event shape (`args`, `token`, `authorization`, ...) are
   * always removed.
   * @default []
   */
  redact?: string[];
  /**
   * Random source for sampling, returning [0, 1).
   * @default Math.random
   */
  random?: () => number;
  /**
   * Clock for events that arrive without `time`.
   * @default () => new Date()
   */
  now?: () => Date;
}

/** The sink returned by {@link createAuditLogger}. */
export type AuditLogger = AuditSink & {
  /** Flushes the underlying logger when it supports it (pino does). */
  flush?(): void;
};

interface ResolvedOptions {
  logger: AuditLoggerLike & { flush?(): void };
  logAllows: boolean;
  allowSampleRate: number;
  redact: ReadonlySet<string>;
  random: () => number;
  now: () => Date;
}

/** True for pino-style loggers. @internal */
export function isAuditLoggerLike(value: unknown): value is AuditLoggerLike {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AuditLoggerLike).info === "function" &&
    typeof (value as AuditLoggerLike).warn === "function"
  );
}

function resolveOptions(options: AuditLoggerOptions): ResolvedOptions {
  const { logger, logAllows = false, allowSampleRate = 1, redact = [], random = Math.random, now = () => new Date() } = options;
  if (logger !== undefined && !isAuditLoggerLike(logger)) {
    throw new TypeError("createAuditLogger: options.logger must have info(obj, msg) and warn(obj, msg) methods (e.g. a pino logger).");
  }
  if (typeof logAllows !== "boolean") throw new TypeError("createAuditLogger: options.logAllows must be a boolean.");
  if (typeof allowSampleRate !== "number" || !(allowSampleRate >= 0 && allowSampleRate <= 1)) {
    throw new TypeError("createAuditLogger: options.allowSampleRate must be a number from 0 to 1 (e.g. 0.1 logs 10% of allows).");
  }
  if (!Array.isArray(redact) || redact.some((k) => typeof k !== "string")) {
    throw new TypeError("createAuditLogger: options.redact must be an array of event key names.");
  }
  if (typeof random !== "function" || typeof now !== "function") {
    throw new TypeError("createAuditLogger: options.random and options.now must be functions.");
  }
  return {
    logger: logger ?? createDefaultLogger(),
    logAllows,
    allowSampleRate,
    redact: new Set(redact),
    random,
    now,
  };
}

function shouldLog(event: AuditEvent, o: ResolvedOptions): boolean {
  if (event.decision !== "allow") return true; // deny, would-deny, and anything unknown: fail towards logging
  return o.logAllows && o.allowSampleRate > 0 && (o.allowSampleRate === 1 || o.random() < o.allowSampleRate);
}

/**
 * An audit sink that writes one structured event per decision: denials and
 * would-be denials (audit mode) at `warn`, allows (when enabled and sampled)
 * at `info`, all with the message `authz decision`. Only documented event
 * keys with scalar values are written, so argument values, tokens and data
 * never reach the log. The sink never throws: a failing logger is ignored.
 * @throws TypeError on invalid options, or when pino is needed but missing
 * @example
 * const audit = createAuditLogger({ logAllows: true, allowSampleRate: 0.05 });
 * const authz = createAuthz({ schema, rules, authSchema, audit });
 */
export function createAuditLogger(options: AuditLoggerOptions = {}): AuditLogger {
  const o = resolveOptions(options);
  const sink: AuditLogger = (event: AuditEvent): void => {
    try {
      if (typeof event !== "object" || event === null || !shouldLog(event, o)) return;
      const safe = toSafeEvent(event, o.redact, o.now);
      if (event.decision === "allow") o.logger.info(safe, "authz decision");
      else o.logger.warn(safe, "authz decision");
    } catch {
      // Logging must never change an authorization outcome or crash a request.
    }
  };
  if (typeof o.logger.flush === "function") {
    const logger = o.logger;
    sink.flush = () => {
      try {
        logger.flush?.();
      } catch {
        // same as above: never throw from the audit path
      }
    };
  }
  return sink;
}
