// Property-based oracle: random operations over the recipes schema, run as
// every role through the app's own authz (rules, auth schema, resolvers, use
// cases). The oracle is the recipes access matrix (docs/recipes-access-matrix.md):
// no value a role may not see (seeded with SECRET-* markers) ever appears
// anywhere in the response.
import fc from "fast-check";
import { OverlappingFieldsCanBeMergedRule, parse, specifiedRules, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, startApp, tokenFor, type TestApp } from "./fixtures/app.js";
import { operationArbitrary } from "./fixtures/operations.js";
import { allowedMarkers, contextOf, createRecipesGraphql, deniedMarkers, RECIPE_IDS, ROLES, type Role } from "./fixtures/recipes-graphql.js";

/** Generated operations per role: 5 roles × 2,000 = 10,000 per run (in process), plus HTTP_RUNS_PER_ROLE over HTTP. */
const RUNS_PER_ROLE = 2_000;
const HTTP_RUNS_PER_ROLE = 200;

// The generator keys every alias by field name and argument, so fields never conflict; dropping
// this quadratic rule keeps 10,000 validations within the time budget.
const RULES = specifiedRules.filter((rule) => rule !== OverlappingFieldsCanBeMergedRule);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup() {
  return createRecipesGraphql();
}

async function run(g: ReturnType<typeof setup>, role: Role, source: string, variableValues: Record<string, unknown> = {}, operationName?: string) {
  const document = parse(source);
  const result = await g.authz.execute({ schema: g.authz.schema, document, contextValue: { security: contextOf(role) }, variableValues, operationName });
  return JSON.stringify(result);
}

const EVERYTHING = `{
  me { id username email permissions { name own rwd pw } }
  recipes { id title ingredients steps published createdBy { id email permissions { name } } }
  ${RECIPE_IDS.map((id, i) => `r${i}: recipe(id: "${id}") { title ingredients steps createdBy { email permissions { name } } }`).join("\n  ")}
}`;

describe("the oracle is not vacuous", () => {
  it.each(ROLES)("%s sees exactly its allowed markers when asking for everything", async (role) => {
    const g = setup();
    const json = await run(g, role, EVERYTHING);
    for (const marker of deniedMarkers(role)) expect(json, marker).not.toContain(marker);
    for (const marker of allowedMarkers(role)) expect(json, marker).toContain(marker);
  });

  it("denies other users' email to an author with FORBIDDEN and to anonymous with UNAUTHENTICATED", async () => {
    const g = setup();
    const joe = JSON.parse(await run(g, "joe", '{ recipe(id: "r4") { createdBy { email } } }')) as { errors: Array<{ extensions: { code: string } }> };
    expect(joe.errors.map((e) => e.extensions.code)).toEqual(["FORBIDDEN"]);
    const anon = JSON.parse(await run(g, "anonymous", '{ recipe(id: "r1") { createdBy { email } } }')) as { errors: Array<{ extensions: { code: string } }> };
    expect(anon.errors.map((e) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("random operations never leak a denied value", () => {
  for (const role of ROLES) {
    it(`${role}: ${RUNS_PER_ROLE} generated operations`, async () => {
      const g = setup();
      const denied = deniedMarkers(role);
      const stats = { valid: 0, invalid: 0, allowedSeen: 0 };
      await fc.assert(
        fc.asyncProperty(operationArbitrary(RECIPE_IDS), async (op) => {
          // Let the worker answer its RPC heartbeats during a long synchronous-heavy run.
          if ((stats.valid + stats.invalid) % 100 === 0) await tick();
          const document = parse(op.source);
          if (validate(g.schema, document, RULES).length > 0) {
            stats.invalid++;
            return;
          }
          stats.valid++;
          const result = await g.authz.execute({
            schema: g.authz.schema,
            document,
            contextValue: { security: contextOf(role) },
            variableValues: op.variableValues,
            operationName: op.operationName,
          });
          const json = JSON.stringify(result);
          for (const marker of denied) {
            if (json.includes(marker)) throw new Error(`${role} received ${marker}\n${op.source}\n${JSON.stringify(op.variableValues)}\n${json}`);
          }
          if (/SECRET-/.test(json)) stats.allowedSeen++;
        }),
        { numRuns: RUNS_PER_ROLE },
      );
      // Most generated documents must be valid, or the property tests little.
      expect(stats.valid).toBeGreaterThan(RUNS_PER_ROLE * 0.8);
      if (role !== "anonymous") expect(stats.allowedSeen).toBeGreaterThan(0);
    });
  }
});

describe("random operations over HTTP against the real app (Yoga, Armor, SQL filters)", () => {
  const AUTHORS = ["joe", "jane", "ed"] as const;
  const EMAILS: Record<string, string> = { joe: "joe@example.com", jane: "jane@example.com", ed: "ed@example.com", admin: "admin@example.com" };
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const drafts: Array<{ id: string; author: string; marker: string }> = [];

  beforeAll(async () => {
    t = await startApp();
    for (const user of ["joe", "jane", "ed", "admin"]) tokens[user] = await tokenFor(t.url, user);
    for (const author of AUTHORS) {
      const marker = `SECRET-DRAFT-${author}-${Math.random().toString(36).slice(2, 8)}`;
      const res = await gql(t.url, "mutation($i: RecipeInput!) { createRecipe(input: $i) { id published } }", {
        authorization: `Bearer ${tokens[author]}`,
        variables: { i: { title: marker, ingredients: [marker], steps: [marker] } },
      });
      const created = res.json().data?.createRecipe as { id: string; published: boolean };
      expect(created.published).toBe(false);
      drafts.push({ id: created.id, author, marker });
    }
  });
  afterAll(async () => {
    await t?.app.close();
  });

  function denied(role: Role): string[] {
    const emails = Object.entries(EMAILS).filter(([user]) => role !== "admin" && user !== role).map(([, email]) => email);
    const hidden = drafts.filter((d) => !(role === "ed" || role === "admin" || d.author === role)).map((d) => d.marker);
    return [...emails, ...hidden];
  }

  for (const role of ROLES) {
    it(`${role}: ${HTTP_RUNS_PER_ROLE} generated operations over HTTP`, async () => {
      const ids = [...drafts.map((d) => d.id), "seed-joe-pancakes", "missing-id"];
      const forbidden = denied(role);
      const allowed = [...Object.values(EMAILS), ...drafts.map((d) => d.marker)].filter((m) => !forbidden.includes(m));
      let answered = 0;
      let allowedSeen = 0;
      await fc.assert(
        fc.asyncProperty(operationArbitrary(ids), async (op) => {
          const res = await gql(t.url, op.source, {
            ...(role === "anonymous" ? {} : { authorization: `Bearer ${tokens[role]}` }),
            variables: op.variableValues,
            operationName: op.operationName,
          });
          expect(res.status, op.source).toBeLessThan(500);
          if (res.json().data) answered++;
          if (allowed.some((m) => res.text.includes(m))) allowedSeen++;
          for (const marker of forbidden) {
            if (res.text.includes(marker)) throw new Error(`${role} received ${marker}\n${op.source}\n${res.text}`);
          }
        }),
        { numRuns: HTTP_RUNS_PER_ROLE },
      );
      expect(answered).toBeGreaterThan(HTTP_RUNS_PER_ROLE / 2);
      // The oracle can see what the role may see, so silence about the rest means something.
      if (role !== "anonymous") expect(allowedSeen).toBeGreaterThan(0);
    });
  }
});
