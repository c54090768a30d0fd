// `npm start`: the recipes API on PGlite (or Postgres), configured from the environment.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { createRecipesApp, DEFAULT_WEBHOOK_SECRET, hasWebBuild } from "./app.js";
import { SEED_USERS, seedPassword } from "./db/seed.js";

/** Where the on-disk PGlite lives when DATABASE_URL is unset. */
const DEFAULT_DATA_DIR = resolve(".data", "recipes");

function databaseUrlFromEnv(env: NodeJS.ProcessEnv): string {
  const url = env.DATABASE_URL?.trim();
  if (url) return url;
  mkdirSync(DEFAULT_DATA_DIR, { recursive: true });
  return DEFAULT_DATA_DIR;
}

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 4000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError("PORT must be an integer 0-65535.");
  return port;
}

const env = process.env;
const nodeEnv = env.NODE_ENV || "development";
const databaseUrl = databaseUrlFromEnv(env);
const app = await createRecipesApp({
  databaseUrl,
  port: portFromEnv(env.PORT),
  host: env.HOST || "127.0.0.1",
  webhookSecret: env.WEBHOOK_SECRET || DEFAULT_WEBHOOK_SECRET,
  logLevel: env.LOG_LEVEL || "info",
  nodeEnv,
  redisUrl: env.REDIS_URL?.trim() || undefined,
});

const where = databaseUrl.startsWith("postgres") ? "Postgres" : databaseUrl === "memory://" ? "PGlite in memory" : `PGlite in ${databaseUrl}`;
const lines = [
  "",
  `gatehouse recipes API on ${app.url} (${nodeEnv}, ${where})`,
  `  GraphQL:  ${app.url}/graphql${nodeEnv === "production" ? "" : "  (GraphiQL in the browser)"}`,
  `  JWKS:     ${app.url}/.well-known/jwks.json`,
  `  Web page: ${app.url}/${hasWebBuild() ? "" : "  (build it with the web helper's script for the full page)"}`,
];
if (nodeEnv !== "production") {
  lines.push("", "Seeded users (development only):");
  for (const u of SEED_USERS) lines.push(`  ${u.username.padEnd(6)} password ${seedPassword(u.username).padEnd(16)} role ${u.role}`);
  lines.push(
    "",
    "Log in:",
    `  curl -s -X POST ${app.url}/auth/login -H 'content-type: application/json' -d '{"username":"joe","password":"joe-password"}'`,
    "Then:",
    `  curl -s -X POST ${app.url}/graphql -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -d '{"query":"{ me { username } recipes { title published } }"}'`,
  );
}
process.stdout.write(`${lines.join("\n")}\n\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
