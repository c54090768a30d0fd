import { describe, expect, it } from "vitest";
import { auditSinkFrom } from "gatehouse/audit";
import type { AuditEvent, AuditLoggerLike } from "gatehouse/audit";

const event: AuditEvent = {
  time: "2026-02-02T10:00:00.000Z",
  identityId: "u1",
  coordinate: "Query.secret",
  action: "query",
  decision: "deny",
  code: "FORBIDDEN",
};

function setup() {
  const warned: object[] = [];
  const infos: object[] = [];
  const logger: AuditLoggerLike = { info: (o) => void infos.push(o), warn: (o) => void warned.push(o) };
  return { logger, warned, infos };
}

describe("auditSinkFrom", () => {
  it("returns a no-op sink for undefined", () => {
    const sink = auditSinkFrom(undefined);
    expect(() => sink(event)).not.toThrow();
  });

  it("calls a function sink with the event", () => {
    const seen: AuditEvent[] = [];
    auditSinkFrom((e) => void seen.push(e))(event);
    expect(seen).toEqual([event]);
  });

  it("swallows errors thrown by a function sink", () => {
    const sink = auditSinkFrom(() => {
      throw new Error("boom");
    });
    expect(() => sink(event)).not.toThrow();
  });

  it("wraps a pino-style logger with the audit logger defaults (denials only, redacted)", () => {
    const { logger, warned, infos } = setup();
    const sink = auditSinkFrom(logger);
    sink({ ...event, args: { x: 1 } } as AuditEvent);
    sink({ ...event, decision: "allow" });
    expect(warned).toEqual([{ ...event }]);
    expect(infos).toEqual([]);
  });

  it.each([[42], ["pino"], [{ info: () => {} }]])("rejects %j with a TypeError", (bad) => {
    expect(() => auditSinkFrom(bad as never)).toThrow(TypeError);
  });
});
