import { describe, expect, it } from "vitest";
import { createAuditLogger } from "gatehouse/audit";
import type { AuditEvent, AuditLoggerLike } from "gatehouse/audit";

type Line = { level: "info" | "warn"; obj: Record<string, unknown>; msg: string | undefined };

function setup(options: Parameters<typeof createAuditLogger>[0] = {}) {
  const lines: Line[] = [];
  const logger: AuditLoggerLike = {
    info: (obj, msg) => lines.push({ level: "info", obj: obj as Record<string, unknown>, msg }),
    warn: (obj, msg) => lines.push({ level: "warn", obj: obj as Record<string, unknown>, msg }),
  };
  const audit = createAuditLogger({ logger, now: () => new Date("2026-01-01T00:00:00.000Z"), ...options });
  return { audit, lines };
}

const deny: AuditEvent = {
  time: "2026-02-02T10:00:00.000Z",
  requestId: "r1",
  identityId: "u1",
  identityType: "user",
  coordinate: "User.email",
  path: "users.0.email",
  action: "query",
  rule: "IsAdmin",
  decision: "deny",
  code: "FORBIDDEN",
  reason: "rule returned false",
};

describe("createAuditLogger", () => {
  it("writes a denial at warn with every documented key", () => {
    const { audit, lines } = setup();
    audit(deny);
    expect(lines).toEqual([{ level: "warn", obj: { ...deny }, msg: "authz decision" }]);
  });

  it("writes would-deny (audit mode) at warn", () => {
    const { audit, lines } = setup();
    audit({ ...deny, decision: "would-deny" });
    expect(lines.map((l) => [l.level, l.obj.decision])).toEqual([["warn", "would-deny"]]);
  });

  it("skips allows by default", () => {
    const { audit, lines } = setup();
    audit({ ...deny, decision: "allow" });
    expect(lines).toEqual([]);
  });

  it("writes allows at info when logAllows is on", () => {
    const { audit, lines } = setup({ logAllows: true });
    audit({ ...deny, decision: "allow", policyId: "p1", rule: undefined });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe("info");
    expect(lines[0]!.obj).toMatchObject({ decision: "allow", policyId: "p1" });
    expect(lines[0]!.obj).not.toHaveProperty("rule");
  });

  it("samples allows with the injected random source, never denials", () => {
    const draws = [0.05, 0.5, 0.09, 0.99];
    const { audit, lines } = setup({ logAllows: true, allowSampleRate: 0.1, random: () => draws.shift()! });
    for (let i = 0; i < 4; i++) audit({ ...deny, decision: "allow", requestId: `r${i}` });
    audit(deny);
    expect(lines.map((l) => l.obj.requestId)).toEqual(["r0", "r2", "r1"]);
  });

  it("logs no allows at sample rate 0", () => {
    const { audit, lines } = setup({ logAllows: true, allowSampleRate: 0, random: () => 0 });
    audit({ ...deny, decision: "allow" });
    expect(lines).toEqual([]);
  });

  it("drops unexpected keys such as args, token, authorization, password and secret", () => {
    const { audit, lines } = setup();
    const leaky = { ...deny, args: { id: "42" }, token: "eyJ...", authorization: "Bearer x", password: "p", secret: "s", data: { email: "a@b" } };
    audit(leaky as AuditEvent);
    expect(Object.keys(lines[0]!.obj).sort()).toEqual(Object.keys(deny).sort());
    expect(JSON.stringify(lines[0]!.obj)).not.toMatch(/eyJ|Bearer|a@b/);
  });

  it("drops non-scalar values of documented keys and truncates long strings", () => {
    const { audit, lines } = setup();
    audit({ ...deny, reason: { leaked: "x" } as unknown as string, path: "p".repeat(2000) });
    expect(lines[0]!.obj).not.toHaveProperty("reason");
    expect((lines[0]!.obj.path as string).length).toBeLessThan(600);
  });

  it("removes extra keys named in redact", () => {
    const { audit, lines } = setup({ redact: ["identityId", "path"] });
    audit(deny);
    expect(lines[0]!.obj).not.toHaveProperty("identityId");
    expect(lines[0]!.obj).not.toHaveProperty("path");
    expect(lines[0]!.obj.coordinate).toBe("User.email");
  });

  it("fills in time and an anonymous identityId when missing", () => {
    const { audit, lines } = setup();
    audit({ coordinate: "Query.me", action: "query", decision: "deny" } as AuditEvent);
    expect(lines[0]!.obj).toMatchObject({ time: "2026-01-01T00:00:00.000Z", identityId: null });
  });

  it("swallows errors from the logger", () => {
    const logger: AuditLoggerLike = {
      info: () => {
        throw new Error("disk full");
      },
      warn: () => {
        throw new Error("disk full");
      },
    };
    const audit = createAuditLogger({ logger, logAllows: true });
    expect(() => audit(deny)).not.toThrow();
    expect(() => audit({ ...deny, decision: "allow" })).not.toThrow();
  });

  it("ignores non-object events", () => {
    const { audit, lines } = setup();
    audit(null as unknown as AuditEvent);
    expect(lines).toEqual([]);
  });

  it("exposes flush when the logger has one, and swallows its errors", () => {
    let flushed = 0;
    const logger = {
      info: () => {},
      warn: () => {},
      flush: () => {
        flushed++;
        throw new Error("closed");
      },
    };
    const audit = createAuditLogger({ logger });
    expect(() => audit.flush?.()).not.toThrow();
    expect(flushed).toBe(1);
    expect(setup().audit.flush).toBeUndefined();
  });

  it("defaults to a pino logger", () => {
    const audit = createAuditLogger();
    expect(typeof audit).toBe("function");
    expect(typeof audit.flush).toBe("function");
  });

  it.each([
    [{ logger: {} }, /logger/],
    [{ logger: { info: () => {} } }, /logger/],
    [{ logAllows: "yes" }, /logAllows/],
    [{ allowSampleRate: 1.5 }, /allowSampleRate/],
    [{ allowSampleRate: -0.1 }, /allowSampleRate/],
    [{ allowSampleRate: Number.NaN }, /allowSampleRate/],
    [{ redact: "token" }, /redact/],
    [{ redact: [1] }, /redact/],
    [{ random: 0.5 }, /random/],
  ])("rejects invalid options %j with a TypeError", (options, message) => {
    expect(() => createAuditLogger(options as never)).toThrow(TypeError);
    expect(() => createAuditLogger(options as never)).toThrow(message);
  });
});
