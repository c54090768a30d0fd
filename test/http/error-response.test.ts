import { describe, expect, it } from "vitest";
import { InvalidCredentialsError, NotAuthenticatedError, NotAuthorizedError, RateLimitedError } from "gatehouse";
import { errorResponseInit } from "gatehouse/http";

describe("errorResponseInit", () => {
  it("maps INVALID_CREDENTIALS to 401 with an invalid_token challenge", () => {
    const init = errorResponseInit(new InvalidCredentialsError("Token expired."));
    expect(init.status).toBe(401);
    expect(init.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
    expect(init.body).toEqual({ error: { code: "INVALID_CREDENTIALS", message: "Token expired." } });
  });

  it("maps UNAUTHENTICATED to 401 with a bare Bearer challenge", () => {
    const init = errorResponseInit(new NotAuthenticatedError());
    expect(init).toMatchObject({ status: 401, headers: { "www-authenticate": "Bearer" }, body: { error: { code: "UNAUTHENTICATED" } } });
  });

  it("maps FORBIDDEN to 403 without a challenge", () => {
    const init = errorResponseInit(new NotAuthorizedError());
    expect(init.status).toBe(403);
    expect(init.headers["www-authenticate"]).toBeUndefined();
  });

  it("maps RATE_LIMITED to 429 with Retry-After", () => {
    expect(errorResponseInit(new RateLimitedError(undefined, 60))).toMatchObject({ status: 429, headers: { "retry-after": "60" } });
    expect(errorResponseInit(new RateLimitedError()).headers["retry-after"]).toBeUndefined();
  });

  it("masks anything else as 500 INTERNAL", () => {
    for (const error of [new Error("db password is hunter2"), "x", null, { code: "FORBIDDEN" }]) {
      const init = errorResponseInit(error);
      expect(init).toMatchObject({ status: 500, body: { error: { code: "INTERNAL", message: "Internal server error." } } });
      expect(JSON.stringify(init)).not.toContain("hunter2");
    }
  });
});
