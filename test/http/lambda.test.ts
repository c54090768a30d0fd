import { describe, expect, it } from "vitest";
import { createSecurity, InvalidCredentialsError, NotAuthorizedError } from "gatehouse";
import { withSecurity, type LambdaHttpEvent } from "gatehouse/http";

function setup(handler?: Parameters<typeof withSecurity>[1]) {
  const security = createSecurity({
    authenticators: [
      async (c) => {
        if (c.token === undefined) return null;
        if (c.token !== "good") throw new InvalidCredentialsError("Token expired.");
        return { id: "u1" };
      },
    ],
  });
  const errors: unknown[] = [];
  const wrapped = withSecurity(
    security,
    handler ?? (async (_event, ctx) => ({ statusCode: 200, body: JSON.stringify({ id: ctx.identity?.id ?? null }) })),
    { cookieName: "sid", onError: (e) => errors.push(e) },
  );
  return { wrapped, errors };
}

const v1 = (headers: Record<string, string>, multi?: Record<string, string[]>): LambdaHttpEvent => ({ headers, multiValueHeaders: multi ?? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) });
const v2 = (headers: Record<string, string>, cookies?: string[]): LambdaHttpEvent => ({ version: "2.0", headers, ...(cookies ? { cookies } : {}) });

describe("withSecurity", () => {
  it.each([
    ["v1", v1({ Authorization: "Bearer good" })],
    ["v1 headers only", { headers: { Authorization: "Bearer good" }, multiValueHeaders: null }],
    ["v2", v2({ authorization: "Bearer good" })],
    ["v2 cookie", v2({}, ["a=1", "sid=good"])],
  ])("authenticates a %s event", async (_name, event) => {
    const { wrapped } = setup();
    await expect(wrapped(event as LambdaHttpEvent)).resolves.toEqual({ statusCode: 200, body: '{"id":"u1"}' });
  });

  it("is anonymous without credentials", async () => {
    const { wrapped } = setup();
    await expect(wrapped(v2({}))).resolves.toMatchObject({ body: '{"id":null}' });
    await expect(wrapped({} as LambdaHttpEvent)).resolves.toMatchObject({ body: '{"id":null}' });
  });

  it("answers 401 with a challenge for invalid credentials", async () => {
    const { wrapped } = setup();
    const result = await wrapped(v1({ authorization: "Bearer bad" }));
    expect(result.statusCode).toBe(401);
    expect(result.headers).toMatchObject({ "www-authenticate": 'Bearer error="invalid_token"' });
    expect(JSON.parse(result.body!)).toEqual({ error: { code: "INVALID_CREDENTIALS", message: "Token expired." } });
  });

  it("answers 401 for duplicate Authorization headers in a v1 event", async () => {
    const { wrapped } = setup();
    const result = await wrapped(v1({ authorization: "Bearer good" }, { authorization: ["Bearer good", "Bearer other"] }));
    expect(result.statusCode).toBe(401);
  });

  it("reads a credential that only `headers` carries when `multiValueHeaders` lacks it", async () => {
    // Hand-built or re-shaped events may fill the two maps differently; a token in
    // either one is a credential, never a silent anonymous request.
    const { wrapped } = setup();
    const bad = await wrapped({ headers: { authorization: "Bearer bad" }, multiValueHeaders: { accept: ["*/*"] } });
    expect(bad.statusCode).toBe(401);
    const good = await wrapped({ headers: { Authorization: "Bearer good" }, multiValueHeaders: { accept: ["*/*"] } });
    expect(good).toEqual({ statusCode: 200, body: '{"id":"u1"}' });
  });

  it("maps gatehouse errors thrown by the handler", async () => {
    const { wrapped } = setup(async () => {
      throw new NotAuthorizedError();
    });
    await expect(wrapped(v2({}))).resolves.toMatchObject({ statusCode: 403 });
  });

  it("masks other handler errors as 500 and never leaks them", async () => {
    const { wrapped, errors } = setup(async () => {
      throw new Error("connection string postgres://admin:pw@db");
    });
    const result = await wrapped(v2({ authorization: "Bearer good" }), { awsRequestId: "r1" });
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain("postgres");
    expect(JSON.parse(result.body!)).toEqual({ error: { code: "INTERNAL", message: "Internal server error." } });
    expect(errors).toHaveLength(1);
  });

  it("passes the lambda context through", async () => {
    const { wrapped } = setup(async (_e, _ctx, lambdaContext) => ({ statusCode: 200, body: (lambdaContext as { id: string }).id }));
    await expect(wrapped(v2({}), { id: "ctx-1" })).resolves.toMatchObject({ body: "ctx-1" });
  });

  it("rejects bad arguments at construction", () => {
    const security = createSecurity();
    expect(() => withSecurity(undefined as never, async () => ({ statusCode: 200 }))).toThrow(TypeError);
    expect(() => withSecurity(security, "x" as never)).toThrow(TypeError);
  });
});
