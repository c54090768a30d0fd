import { describe, expect, it } from "vitest";
import {
  GatehouseError,
  InvalidCredentialsError,
  NotAuthenticatedError,
  NotAuthorizedError,
  PolicyValidationError,
  RateLimitedError,
  UncoveredSchemaError,
  WebhookVerificationError,
  isGatehouseError,
} from "gatehouse";

describe("errors", () => {
  const table: [GatehouseError, string, number, string][] = [
    [new NotAuthenticatedError(), "UNAUTHENTICATED", 401, "NotAuthenticatedError"],
    [new InvalidCredentialsError(), "INVALID_CREDENTIALS", 401, "InvalidCredentialsError"],
    [new NotAuthorizedError(), "FORBIDDEN", 403, "NotAuthorizedError"],
    [new PolicyValidationError([{ path: "policies[0].effect", message: "must be allow or deny" }]), "INVALID_POLICY", 500, "PolicyValidationError"],
    [new UncoveredSchemaError(["User.email"]), "UNCOVERED_FIELDS", 500, "UncoveredSchemaError"],
    [new WebhookVerificationError("invalid_signature"), "WEBHOOK_VERIFICATION_FAILED", 401, "WebhookVerificationError"],
    [new RateLimitedError(undefined, 30), "RATE_LIMITED", 429, "RateLimitedError"],
  ];
  it.each(table)("%s has its stable code and status", (error, code, status, name) => {
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code, status, name });
    expect(isGatehouseError(error)).toBe(true);
  });

  it("keeps cause off the wire", () => {
    const error = new InvalidCredentialsError("Invalid token.", { cause: new Error("secret-token-abc") });
    expect(error.cause).toBeInstanceOf(Error);
    expect(Object.keys(error)).not.toContain("cause");
    const json = JSON.stringify(error);
    expect(json).not.toContain("secret-token-abc");
    expect(JSON.parse(json)).toEqual({ name: "InvalidCredentialsError", code: "INVALID_CREDENTIALS", message: "Invalid token." });
  });

  it("carries details for policy, coverage, webhook and rate-limit errors", () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ path: `policies[${i}].effect`, message: "bad" }));
    const policy = new PolicyValidationError(issues);
    expect(policy.issues).toHaveLength(7);
    expect(policy.message).toContain("and 2 more");
    expect(new UncoveredSchemaError(["A.b", "C.d"]).coordinates).toEqual(["A.b", "C.d"]);
    expect(new WebhookVerificationError("replayed").reason).toBe("replayed");
    expect(new RateLimitedError("slow down", 12).retryAfterSec).toBe(12);
  });

  it("isGatehouseError rejects look-alikes with unknown codes", () => {
    expect(isGatehouseError({ code: "FORBIDDEN", status: 403 })).toBe(true);
    expect(isGatehouseError({ code: "ENOENT", status: 1 })).toBe(false);
    expect(isGatehouseError(new Error("x"))).toBe(false);
    expect(isGatehouseError(null)).toBe(false);
  });
});
