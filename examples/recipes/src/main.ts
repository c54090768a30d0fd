// `npm start`: the recipes API from its TypeScript sources (through tsx) on
// PGlite or Postgres, configured from the environment.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { createRecipesApp, DEFAULT_WEBHOOK_SECRET, hasWebBuild, type RecipesApp } from "./app.js";
import { SEED_USERS, seedPassword } from "./db/seed.js";
import { portFromEnv, startupMessage } from "./startup-error.js";

/** Where the on-disk PGlite lives when DATABASE_URL is unset. */
const DEFAULT_DATA_DIR = resolve(".data", "recipes");

function databaseUrlFromEnv(env: NodeJS.ProcessEnv): string {
  const url = env.DATABASE_URL?.trim();
  if (url) return url;
  mkdirSync(DEFAULT_DATA_DIR, { recursive: true });
  return DEFAULT_DATA_DIR;
}

/**
 * The banner: where things are, the seeded users, and shell lines that run
 * as pasted (POSIX sh with curl and node; the token is read with node, so
 * no jq is needed).
 */
function banner(app: RecipesApp, nodeEnv: string, where: string): string {
  const lines = [
    "",
    `gatehouse recipes API on ${app.url} (${nodeEnv}, ${where})`,
    `  GraphQL:  ${app.url}/graphql${nodeEnv === "production" ? "" : "  (GraphiQL in the browser)"}`,
    `  JWKS:     ${app.url}/.well-known/jwks.json`,
    `  Web page: ${app.url}/${hasWebBuild() ? "" : "  (run `npm run build` for the full page)"}`,
  ];
  if (nodeEnv !== "production") {
    lines.push("", "Seeded users (development only):");
    for (const u of SEED_USERS) lines.push(`  ${u.username.padEnd(6)} password ${seedPassword(u.username).padEnd(16)} role ${u.role}`);
    lines.push(
      "",
      "Log in as joe (sets TOKEN in your shell):",
      `  TOKEN=$(curl -s -X POST ${app.url}/auth/login -H 'content-type: application/json' -d '{"username":"joe","password":"joe-password"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
      "Then ask as joe:",
      `  curl -s -X POST ${app.url}/graphql -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -d '{"query":"{ me { username } recipes { title published } }"}'`,
    );
  }
  return `${lines.join("\n")}\n\n`;
}

const env = process.env;
const listen = { host: env.HOST || "127.0.0.1", port: 4000 };
let app: RecipesApp;
let where: string;
const nodeEnv = env.NODE_ENV || "development";
try {
  listen.port = portFromEnv(env.PORT);
  const databaseUrl = databaseUrlFromEnv(env);
  where = databaseUrl.startsWith("postgres") ? "Postgres" : databaseUrl === "memory://" ? "PGlite in memory" : `PGlite in ${databaseUrl}`;
  app = await createRecipesApp({
    databaseUrl,
    port: listen.port,
    host: listen.host,
    webhookSecret: env.WEBHOOK_SECRET || DEFAULT_WEBHOOK_SECRET,
    logLevel: env.LOG_LEVEL || "info",
    nodeEnv,
    redisUrl: env.REDIS_URL?.trim() || undefined,
  });
} catch (error) {
  process.stderr.write(`${startupMessage(error, listen)}\n`);
  if (env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace") console.error(error);
  process.exit(1);
}
process.stdout.write(banner(app, nodeEnv, where));

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
