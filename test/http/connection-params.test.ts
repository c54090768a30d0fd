import { describe, expect, it } from "vitest";
import { connectionParamsCredentials, REDACTED } from "gatehouse/http";
import { mergeCredentials } from "../../src/http/connection-params.js";

describe("connectionParamsCredentials", () => {
  it("reads a bearer token or an API key under any case of the header name, redacted in headers", () => {
    expect(connectionParamsCredentials({ Authorization: "Bearer abc.def" })).toEqual({ headers: { authorization: REDACTED }, token: "abc.def" });
    expect(connectionParamsCredentials({ AUTHORIZATION: "bearer abc" })).toMatchObject({ token: "abc" });
    expect(connectionParamsCredentials({ "x-API-key": "gh_k" })).toEqual({ headers: { "x-api-key": REDACTED }, apiKey: "gh_k" });
  });

  it("ignores other parameters, other schemes and absent values; anything but an object carries nothing", () => {
    expect(connectionParamsCredentials({ token: "abc", locale: "en", Authorization: "Basic dTpw" })).toEqual({ headers: { authorization: REDACTED } });
    expect(connectionParamsCredentials({ authorization: undefined, "x-api-key": null })).toEqual({ headers: {} });
    for (const params of [undefined, null, "Bearer abc", 42, ["Bearer abc"]]) expect(connectionParamsCredentials(params)).toEqual({ headers: {} });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["a token that is not a string", { Authorization: { token: "abc" } }, ["authorization"]],
    ["an array of tokens", { Authorization: ["Bearer a", "Bearer b"] }, ["authorization"]],
    ["an API key that is not a string", { "X-API-Key": 42 }, ["x-api-key"]],
    ["Bearer with no token", { Authorization: "Bearer" }, ["authorization"]],
    ["two names for one header", { Authorization: "Bearer a", authorization: "Bearer a" }, ["authorization"]],
    ["an API key with spaces", { "x-api-key": "gh k" }, ["x-api-key"]],
  ])("marks %s as malformed and keeps no value", (_label, params, malformed) => {
    const credentials = connectionParamsCredentials(params);
    expect(credentials.malformed).toEqual(malformed);
    expect(credentials.token).toBeUndefined();
    expect(credentials.apiKey).toBeUndefined();
  });
});

describe("mergeCredentials (connection parameters and the upgrade request)", () => {
  const token = (t: string) => ({ headers: {}, token: t });
  it("takes a credential from either side, and the same one from both once", () => {
    expect(mergeCredentials(token("a"), { headers: {} })).toMatchObject({ token: "a" });
    expect(mergeCredentials({ headers: {} }, token("a"))).toMatchObject({ token: "a" });
    expect(mergeCredentials(token("a"), token("a"))).toEqual({ headers: {}, token: "a" });
    expect(mergeCredentials({ headers: {}, apiKey: "k" }, { headers: {}, apiKey: "k" })).toEqual({ headers: {}, apiKey: "k" });
  });

  it("two different tokens or keys are malformed, and so is anything malformed on either side", () => {
    expect(mergeCredentials(token("a"), token("b"))).toEqual({ headers: {}, malformed: ["authorization"] });
    expect(mergeCredentials({ headers: {}, apiKey: "k1" }, { headers: {}, apiKey: "k2" })).toEqual({ headers: {}, malformed: ["x-api-key"] });
    expect(mergeCredentials({ headers: {}, malformed: ["x-api-key"] }, token("a"))).toEqual({ headers: {}, token: "a", malformed: ["x-api-key"] });
  });
});

describe("authenticateCredentials", () => {
  it("applies the rules of authenticateRequest to credentials read elsewhere", async () => {
    const { createSecurity, InvalidCredentialsError } = await import("gatehouse");
    const { authenticateCredentials } = await import("gatehouse/http");
    const security = createSecurity({
      authenticators: [async ({ token }) => (token === "good" ? { id: "ann" } : token ? Promise.reject(new InvalidCredentialsError()) : null)],
    });
    await expect(authenticateCredentials(security, connectionParamsCredentials({ Authorization: "Bearer good" }))).resolves.toMatchObject({ identity: { id: "ann" } });
    await expect(authenticateCredentials(security, connectionParamsCredentials({}))).resolves.toMatchObject({ identity: null });
    for (const params of [{ Authorization: "Bearer bad" }, { Authorization: "Bearer good", "X-API-Key": 7 }, { Authorization: "Bearer good", "X-API-Key": "k" }, { "X-API-Key": "unclaimed" }]) {
      await expect(authenticateCredentials(security, connectionParamsCredentials(params))).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    }
  });
});
