import { describe, expect, it } from "vitest";
import { getCredentials, hasMalformedCredentials, REDACTED } from "gatehouse/http";

const TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";

describe("getCredentials", () => {
  it("reads a bearer token from a Fetch Request, scheme case-insensitive", () => {
    const request = new Request("http://x.test/", { headers: { Authorization: `bEaReR ${TOKEN}`, "X-Trace": "1" } });
    const credentials = getCredentials(request);
    expect(credentials.token).toBe(TOKEN);
    expect(credentials.headers).toEqual({ authorization: REDACTED, "x-trace": "1" });
    expect(hasMalformedCredentials(credentials)).toBe(false);
  });

  it("reads X-API-Key from a plain headers object, lower-casing names and redacting values", () => {
    const credentials = getCredentials({ headers: { "X-API-Key": " gh_abc_def ", Cookie: "a=b", Accept: ["a", "b"] } });
    expect(credentials).toEqual({ apiKey: "gh_abc_def", headers: { "x-api-key": REDACTED, cookie: REDACTED, accept: "a, b" } });
  });

  it("ignores other Authorization schemes", () => {
    expect(getCredentials({ headers: { authorization: "Basic dTpw" } })).toEqual({ headers: { authorization: REDACTED } });
  });

  it.each([
    ["Bearer"],
    ["Bearer "],
    ["Bearer a b"],
    ["Bearer a,b"],
    ["Bearer tok\u00e9n"],
    [`Bearer ${"a".repeat(20_000)}`],
  ])("flags a malformed Authorization %#", (authorization) => {
    const credentials = getCredentials({ headers: { authorization } });
    expect(credentials.token).toBeUndefined();
    expect(credentials.malformed).toEqual(["authorization"]);
    expect(JSON.stringify(credentials)).not.toContain("tok");
  });

  it.each([
    ["Bearer  spaced", "spaced"],
    ["Bearer\tTabbed", "Tabbed"],
    ["  bearer trimmed  ", "trimmed"],
  ])("reads a bearer token whatever the whitespace around it %#", (authorization, token) => {
    expect(getCredentials({ headers: { authorization } })).toEqual({ token, headers: { authorization: REDACTED } });
  });

  it.each(["Bearerx abc", "Bear abc", "Token abc"])("leaves other schemes alone (%s)", (authorization) => {
    expect(getCredentials({ headers: { authorization } })).toEqual({ headers: { authorization: REDACTED } });
  });

  it("joins header names that differ only in case, as one header", () => {
    const credentials = getCredentials({ headers: { Cookie: "a=1", cookie: "session=x", "X-Trace": "1", "x-trace": "2" } }, { cookieName: "session" });
    expect(credentials).toEqual({ token: "x", headers: { cookie: REDACTED, "x-trace": "1, 2" } });
    expect(getCredentials({ headers: { Authorization: "Bearer a", authorization: "Bearer b" } }).malformed).toEqual(["authorization"]);
  });

  it("flags two Authorization headers (array or Node rawHeaders)", () => {
    expect(getCredentials({ headers: { authorization: ["Bearer a", "Bearer b"] } }).malformed).toEqual(["authorization"]);
    const nodeLike = { headers: { authorization: "Bearer a" }, rawHeaders: ["Authorization", "Bearer a", "authorization", "Bearer b"] };
    expect(getCredentials(nodeLike)).toMatchObject({ malformed: ["authorization"] });
    expect(getCredentials(nodeLike).token).toBeUndefined();
  });

  it("flags an empty or non-printable X-API-Key", () => {
    expect(getCredentials({ headers: { "x-api-key": "  " } }).malformed).toEqual(["x-api-key"]);
    expect(getCredentials({ headers: { "x-api-key": "a b" } }).malformed).toEqual(["x-api-key"]);
  });

  describe("cookies", () => {
    it("are ignored unless cookieName is set", () => {
      expect(getCredentials({ headers: { cookie: `session=${TOKEN}` } }).token).toBeUndefined();
    });

    it("read the named cookie, quoted or URL-encoded", () => {
      expect(getCredentials({ headers: { cookie: `a=1; session=${TOKEN}` } }, { cookieName: "session" }).token).toBe(TOKEN);
      expect(getCredentials({ headers: { cookie: `session="${TOKEN}"` } }, { cookieName: "session" }).token).toBe(TOKEN);
      expect(getCredentials({ headers: { cookie: "session=abc%2Bdef" } }, { cookieName: "session" }).token).toBe("abc+def");
    });

    it("prefer the Authorization header", () => {
      const credentials = getCredentials({ headers: { authorization: "Bearer fromheader", cookie: "session=fromcookie" } }, { cookieName: "session" });
      expect(credentials.token).toBe("fromheader");
    });

    it("flag differing duplicates and bad encodings", () => {
      expect(getCredentials({ headers: { cookie: "session=a; session=b" } }, { cookieName: "session" }).malformed).toEqual(["cookie"]);
      expect(getCredentials({ headers: { cookie: "session=%E0%A4%A" } }, { cookieName: "session" }).malformed).toEqual(["cookie"]);
      expect(getCredentials({ headers: { cookie: "session=a; session=a" } }, { cookieName: "session" }).token).toBe("a");
    });
  });

  it("tolerates a request without headers", () => {
    expect(getCredentials({ headers: {} })).toEqual({ headers: {} });
    expect(getCredentials({} as never)).toEqual({ headers: {} });
  });
});

describe("getCredentials: repeated Authorization headers", () => {
  it.each([
    ["joined by Fetch Headers", new Request("http://x/", { headers: [["authorization", "Basic am9lOnB3"], ["authorization", "Bearer a.b.c"]] })],
    ["rawHeaders, first not Bearer", { headers: { authorization: "Basic x" }, rawHeaders: ["Authorization", "Basic x", "Authorization", "Bearer a.b.c"] }],
    ["one value listing two schemes", { headers: { authorization: "Bearer a.b.c, Basic x" } }],
  ])("%s → malformed, never a token or anonymous", (_label, request) => {
    const credentials = getCredentials(request as never);
    expect(credentials.token).toBeUndefined();
    expect(credentials.malformed).toContain("authorization");
  });

  it("a single non-bearer scheme with commas (Digest) is not ours", () => {
    const credentials = getCredentials({ headers: { authorization: 'Digest username="joe", realm="api"' } });
    expect(credentials.token).toBeUndefined();
    expect(credentials.malformed).toBeUndefined();
  });
});

describe("getCredentials: Fetch headers", () => {
  const request = () => new Request("http://x.test/", { headers: { Authorization: `Bearer ${TOKEN}`, "X-API-Key": "k_1", Cookie: "s=1", Accept: "a" } });

  it("reads every credential header and keeps credentials.headers an own, redacted, replaceable property", () => {
    const credentials = getCredentials(request());
    expect(credentials).toMatchObject({ token: TOKEN, apiKey: "k_1" });
    expect(Object.keys(credentials)).toContain("headers");
    const redacted = { accept: "a", authorization: REDACTED, cookie: REDACTED, "x-api-key": REDACTED };
    expect({ ...credentials }.headers).toEqual(redacted);
    expect(JSON.parse(JSON.stringify(credentials)).headers).toEqual(redacted);
    expect(JSON.stringify(credentials.headers)).not.toContain(TOKEN);
    expect(credentials.headers).toBe(credentials.headers);
    credentials.headers = { replaced: "1" };
    expect(credentials.headers).toEqual({ replaced: "1" });
  });

  it("reads a token cookie by name too, when asked", () => {
    const credentials = getCredentials(new Request("http://x.test/", { headers: { Cookie: "a=1; session=tok" } }), { cookieName: "session" });
    expect(credentials).toMatchObject({ token: "tok", headers: { cookie: REDACTED } });
  });
});
