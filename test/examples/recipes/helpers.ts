// Shared e2e helpers: start the real app on an ephemeral port and talk to it over HTTP.
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import { createRecipesApp, type RecipesApp, type RecipesAppOptions } from "../../../examples/recipes/src/app.js";

/** Where a suite's database lives: always PGlite in memory, Postgres when GATEHOUSE_TEST_PG_URL is set. */
export interface Backend {
  name: string;
  enabled: boolean;
  /** Fresh, isolated database options for one app (or a shared `schema` for several). */
  options(schema?: string): Pick<RecipesAppOptions, "databaseUrl" | "databaseSchema">;
}

export const PG_URL = process.env.GATEHOUSE_TEST_PG_URL;

export const BACKENDS: readonly Backend[] = [
  { name: "PGlite", enabled: true, options: () => ({ databaseUrl: "memory://" }) },
  {
    name: "Postgres",
    enabled: Boolean(PG_URL),
    options: (schema = uniqueSchema()) => ({ databaseUrl: PG_URL, databaseSchema: schema }),
  },
];

/** A schema name nobody else uses: each run (and each app group) gets its own tables. */
export function uniqueSchema(): string {
  return `recipes_e2e_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}

/** A running app plus the JSON log lines it wrote. */
export interface TestApp {
  app: RecipesApp;
  logs: Array<Record<string, unknown>>;
  /** The same lines as written, to check their JSON shape. */
  rawLogs: string[];
  url: string;
}

/** Starts the app with a capturing logger; remember to `app.close()`. */
export async function startApp(options: RecipesAppOptions = {}): Promise<TestApp> {
  const logs: Array<Record<string, unknown>> = [];
  const rawLogs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        rawLogs.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = pino({ level: "info" }, sink);
  const app = await createRecipesApp({ databaseUrl: "memory://", port: 0, nodeEnv: "development", ...options, logger });
  return { app, logs, rawLogs, url: app.url };
}

/** `POST /auth/login`; returns status and parsed body. */
export async function login(url: string, username: string, password = `${username}-password`) {
  const res = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

/** Logs in and returns the bearer token (fails the test when login fails). */
export async function tokenFor(url: string, username: string): Promise<string> {
  const { status, body } = await login(url, username);
  if (status !== 200) throw new Error(`login as ${username} failed with ${status}`);
  return body.token as string;
}

export interface GqlResponse {
  status: number;
  headers: Headers;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }> };
}

/** `POST /graphql` with an optional bearer token. */
export async function gql(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResponse> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResponse["body"] };
}

/** The error codes of a response, in order. */
export function codes(res: GqlResponse): string[] {
  return (res.body.errors ?? []).map((e) => e.extensions?.code ?? "");
}

export const RECIPE_FIELDS = "id title ingredients steps published createdAt createdBy { id username displayName }";

/** A recipe input with a unique title. */
export function recipeInput(title = `Test ${Math.random().toString(36).slice(2, 8)}`) {
  return { title, ingredients: ["1 egg"], steps: ["Boil it."] };
}

/** Creates a recipe as `token`'s user and returns it. */
export async function createRecipe(url: string, token: string, title?: string): Promise<{ id: string; title: string; createdBy: { id: string } }> {
  const res = await gql(url, `mutation($input: RecipeInput!) { createRecipe(input: $input) { ${RECIPE_FIELDS} } }`, { input: recipeInput(title) }, token);
  if (!res.body.data?.createRecipe) throw new Error(`createRecipe failed: ${JSON.stringify(res.body.errors)}`);
  return res.body.data.createRecipe;
}

/** Reads a recipe straight from the database (bypassing every check) to prove what was or wasn't written. */
export async function rawRecipe(app: RecipesApp, id: string): Promise<{ title: string; published: boolean } | null> {
  const { rows } = await app.store.db.query<{ title: string; published: boolean }>("SELECT title, published FROM recipes WHERE id = $1", [id]);
  return rows[0] ?? null;
}

export const PUBLISH = `mutation($id: ID!) { publishRecipe(id: $id) { id published } }`;
export const SEEDED_USERS = ["joe", "jane", "ed", "admin"] as const;

/**
 * One app per suite on `backend`, with a token for every seeded user, and a
 * `setup()` that creates fresh recipes per test (Jane's draft and published
 * recipe, Joe's draft) so tests never depend on each other's writes.
 */
export function useRecipesApp(backend: Backend) {
  let app: TestApp | undefined;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    app = await startApp(backend.options());
    for (const user of SEEDED_USERS) tokens[user] = await tokenFor(app.url, user);
  });
  afterAll(async () => {
    await app?.app.close();
  });
  return {
    tokens,
    get t(): TestApp {
      if (!app) throw new Error("useRecipesApp: the app starts in beforeAll; use it inside tests.");
      return app;
    },
    async setup() {
      const url = this.t.url;
      const janeDraft = await createRecipe(url, tokens.jane!, "Jane draft");
      const janePublished = await createRecipe(url, tokens.jane!, "Jane published");
      await gql(url, PUBLISH, { id: janePublished.id }, tokens.jane);
      const joeDraft = await createRecipe(url, tokens.joe!, "Joe draft");
      return { janeDraft, janePublished, joeDraft };
    },
  };
}
