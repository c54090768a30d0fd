// The GraphQL acceptance checks, registered once per server integration:
// the same requests must get the same answers through Yoga and Apollo.
import { beforeEach, describe, expect, it } from "vitest";
import { acceptanceApi, BAD_TOKENS, badlySignedToken, denials, post, QUERIES, SECRETS, token, type AcceptanceApi, type Answer } from "./acceptance-fixture.js";

export interface Served {
  url: string;
  /** Every line the server logged. */
  logs: string[];
  close(): Promise<void>;
}

/** Nothing any caller may not see, no token and no transport detail is in the body. */
function expectNoLeak(answer: Answer, tokens: string[] = []): void {
  for (const secret of Object.values(SECRETS)) expect(answer.text).not.toContain(secret);
  for (const t of tokens) expect(answer.text).not.toContain(t);
  expect(answer.text).not.toContain("__gh");
  for (const error of answer.body.errors ?? []) {
    expect(Object.keys(error.extensions ?? {})).toEqual(["code"]);
  }
}

export function graphqlAcceptance(name: string, serve: (api: AcceptanceApi) => Promise<Served>): void {
  describe(`${name}: the public contract over HTTP`, () => {
    let api: AcceptanceApi;
    let served: Served;
    let joe: string;
    beforeEach(async () => {
      api = acceptanceApi();
      served = await serve(api);
      joe = await token("joe");
      return () => served.close();
    });

    it("serves an anonymous request the rules allow", async () => {
      const a = await post(served.url, "{ hello }");
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ data: { hello: "world" } });
    });

    it("a post rule that reads the object nulls exactly the rows it denies (FORBIDDEN)", async () => {
      const a = await post(served.url, QUERIES.notes, { token: joe });
      expect(a.status).toBe(200);
      expect(a.body.data).toEqual({ posts: [{ id: "p1", notes: "JOE-NOTES" }, { id: "p2", notes: null }, { id: "p3", notes: "N3" }] });
      expect(denials(a.body)).toEqual([["FORBIDDEN", '["posts",1,"notes"]']]);
      expect(a.text).not.toContain('"author"');
      expectNoLeak(a, [joe]);
    });

    it("an anonymous caller denied by a post rule gets UNAUTHENTICATED on every row", async () => {
      const a = await post(served.url, QUERIES.notes);
      expect(a.status).toBe(200);
      expect(a.body.data).toEqual({ posts: [{ id: "p1", notes: null }, { id: "p2", notes: null }, { id: "p3", notes: null }] });
      expect(denials(a.body)).toEqual([
        ["UNAUTHENTICATED", '["posts",0,"notes"]'],
        ["UNAUTHENTICATED", '["posts",1,"notes"]'],
        ["UNAUTHENTICATED", '["posts",2,"notes"]'],
      ]);
      expectNoLeak(a);
    });

    it("a deny policy on root.* denies the object it matches, reading a field the client did not ask for", async () => {
      const a = await post(served.url, QUERIES.bodies, { token: joe });
      expect(a.body.data).toEqual({ posts: [{ id: "p1", body: "JOE-BODY" }, { id: "p2", body: "JANE-BODY" }, { id: "p3", body: null }] });
      expect(denials(a.body)).toEqual([["FORBIDDEN", '["posts",2,"body"]']]);
      expect(a.text).not.toContain("classified");
      expectNoLeak(a, [joe]);
    });

    it("the root.* deny holds for anonymous callers too", async () => {
      const a = await post(served.url, QUERIES.bodies);
      expect(a.body.data?.posts?.[2]).toEqual({ id: "p3", body: null });
      expect(a.body.errors?.some((e) => JSON.stringify(e.path) === '["posts",2,"body"]')).toBe(true);
      expectNoLeak(a);
    });

    it("a root.* condition on a root field cannot be evaluated: the allow does not match, the resolver never runs", async () => {
      const a = await post(served.url, QUERIES.rootOnly, { token: joe });
      expect(a.body.data).toEqual({ rootOnly: null });
      expect(denials(a.body)).toEqual([["FORBIDDEN", '["rootOnly"]']]);
      expect(api.calls.rootOnly).toBe(0);
      expect(api.audit.find((e) => e.coordinate === "Query.rootOnly" && e.decision === "deny")?.rule).toBe("policy");
      expectNoLeak(a, [joe]);
    });

    it("a root.* deny on a mutation matches (no object) and the mutation never runs", async () => {
      const a = await post(served.url, QUERIES.launch, { token: joe });
      expect(a.body.data).toEqual({ launch: null });
      expect(denials(a.body)).toEqual([["FORBIDDEN", '["launch"]']]);
      expect(api.calls.launch).toBe(0);
      expect(api.audit.find((e) => e.coordinate === "Mutation.launch" && e.decision === "deny")?.policyId).toBe("launch-deny");
    });

    it("a denied non-null field propagates null to the nearest nullable position, as graphql-js does", async () => {
      const list = await post(served.url, QUERIES.codes, { token: joe });
      expect(list.body).toEqual({ data: { codes: null }, errors: [expect.objectContaining({ path: ["codes", 1, "code"], extensions: { code: "FORBIDDEN" } })] });
      const nested = await post(served.url, QUERIES.box, { token: joe });
      expect(nested.body).toEqual({ data: { box: null }, errors: [expect.objectContaining({ path: ["box", "code", "code"], extensions: { code: "FORBIDDEN" } })] });
      expectNoLeak(list, [joe]);
      expectNoLeak(nested, [joe]);
      expect(list.text).not.toContain('"owner"');
    });

    it("the owner sees the non-null field", async () => {
      const a = await post(served.url, "{ box { label code { code } } }", { token: await token("jane") });
      expect(a.body).toEqual({ data: { box: { label: "box", code: { code: SECRETS.janeCode } } } });
    });

    it("Joe never edits Jane's post: the mutation is refused before its resolver runs", async () => {
      const a = await post(served.url, QUERIES.editJane, { token: joe });
      expect(a.body.data).toEqual({ editPost: null });
      expect(denials(a.body)).toEqual([["FORBIDDEN", '["editPost"]']]);
      expect(api.calls.editPost).toBe(0);
      expect(api.posts[1]?.body).toBe("JANE-BODY");
      const own = await post(served.url, QUERIES.editOwn, { token: joe });
      expect(own.body).toEqual({ data: { editPost: { id: "p1" } } });
      expect(api.calls.editPost).toBe(1);
    });

    it("an anonymous mutation is refused with UNAUTHENTICATED", async () => {
      const a = await post(served.url, QUERIES.editJane);
      expect(denials(a.body)).toEqual([["UNAUTHENTICATED", '["editPost"]']]);
      expect(api.calls.editPost).toBe(0);
    });

    for (const [label, make] of BAD_TOKENS) {
      it(`${label} is 401 INVALID_CREDENTIALS with WWW-Authenticate, before any resolver`, async () => {
        const bad = await make();
        const a = await post(served.url, QUERIES.editJane, { token: bad });
        expect(a.status).toBe(401);
        expect(a.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
        expect(a.body.data ?? undefined).toBeUndefined();
        expect(a.body.errors).toHaveLength(1);
        expect(a.body.errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
        expect(api.calls.editPost).toBe(0);
        expectNoLeak(a, [bad]);
      });
    }

    it("a Bearer without a token and two credentials at once are refused, never anonymous", async () => {
      const empty = await post(served.url, "{ hello }", { headers: { authorization: "Bearer" } });
      expect(empty.status).toBe(401);
      expect(empty.body.errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
      const both = await post(served.url, "{ hello }", { token: joe, headers: { "x-api-key": "gh_abc" } });
      expect(both.status).toBe(401);
      expect(both.body.errors?.[0]?.extensions?.code).toBe("INVALID_CREDENTIALS");
    });

    it("a client alias cannot forge what a policy or a post rule reads", async () => {
      const forged = await post(served.url, "{ posts { classified: title author { id: __typename } body notes } }", { token: joe });
      const rows = forged.body.data?.posts as Array<Record<string, unknown>>;
      expect(rows.map((r) => [r.classified, r.body, r.notes])).toEqual([
        ["Joe's post", "JOE-BODY", "JOE-NOTES"],
        ["Jane's post", "JANE-BODY", null],
        ["Classified", null, "N3"],
      ]);
      expect(rows.map((r) => r.author)).toEqual([{ id: "User" }, { id: "User" }, { id: "User" }]);
      expect(denials(forged.body)).toEqual([["FORBIDDEN", '["posts",1,"notes"]'], ["FORBIDDEN", '["posts",2,"body"]']]);
      expectNoLeak(forged, [joe]);
    });

    it("aliases, fragments and a skipped input keep the denials at the client's paths", async () => {
      const q = "query($s: Boolean!) { list: posts { ...F } } fragment F on Post { c: classified @skip(if: $s) b: body n: notes }";
      const a = await post(served.url, q, { token: joe, variables: { s: true } });
      expect(a.body.data).toEqual({ list: [{ b: "JOE-BODY", n: "JOE-NOTES" }, { b: "JANE-BODY", n: null }, { b: null, n: "N3" }] });
      expect(denials(a.body)).toEqual([["FORBIDDEN", '["list",1,"n"]'], ["FORBIDDEN", '["list",2,"b"]']]);
      expectNoLeak(a, [joe]);
    });

    it("the server's logs hold no token and no withheld value", async () => {
      const bad = await badlySignedToken();
      await post(served.url, QUERIES.notes, { token: joe });
      await post(served.url, QUERIES.bodies, { token: bad });
      await post(served.url, QUERIES.codes, { token: joe });
      await post(served.url, QUERIES.box);
      const logs = served.logs.join("\n");
      for (const secret of [...Object.values(SECRETS), joe, bad]) expect(logs).not.toContain(secret);
    });

    it("the decision log names coordinates and decisions, never data or tokens", async () => {
      await post(served.url, QUERIES.notes, { token: joe });
      await post(served.url, QUERIES.bodies, { token: joe });
      await post(served.url, QUERIES.codes, { token: joe });
      await post(served.url, QUERIES.editJane, { token: joe });
      const log = JSON.stringify(api.audit);
      expect(api.audit.length).toBeGreaterThan(0);
      for (const secret of [...Object.values(SECRETS), "JOE-WAS-HERE", joe]) expect(log).not.toContain(secret);
      expect(api.audit.map((e) => e.coordinate)).toEqual(expect.arrayContaining(["Post.notes", "Post.body", "Code.code", "Mutation.editPost"]));
    });
  });
}
