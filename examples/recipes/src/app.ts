import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { pino, type Logger } from "pino";
import { createSecurity } from "gatehouse";
import { createStore, revocationGuard, storeAuthorizer, type Store } from "gatehouse/store";
import { createLoginHandler } from "./auth/login.js";
import { createLogoutHandler } from "./auth/logout.js";
import { createSharedCounters } from "./auth/shared-counters.js";
import { createTokenAuthenticator } from "./auth/token-authenticator.js";
import { loadSigningKeys } from "./auth/signing-keys.js";
import { RECIPES_MIGRATIONS } from "./db/migrations.js";
import { seedIfEmpty } from "./db/seed.js";
import { createRecipesYoga } from "./graphql/yoga.js";
import { summarizeError } from "./http/error-summary.js";
import { serveFetch } from "./http/fetch-bridge.js";
import { sendFailure, sendJson } from "./http/respond.js";
import { createRouter, pathnameOf, type RouteHandler } from "./http/router.js";
import { createStaticHandler } from "./http/static-files.js";
import { graphiqlRoutes } from "./graphql/graphiql.js";
import { clientAddress, trustedProxyHopsFrom } from "./http/client-address.js";
import { createCorsPolicy, parseCorsOrigins } from "./http/cors.js";
import { createReadiness, createReadyzHandler, handleHealthz, sendNotReady } from "./http/health.js";
import { createSecurityEventLog } from "./http/security-events.js";
import { createWebhookHandler } from "./http/webhook.js";
import { createRecipeEventBridge, createRecipeEvents, withRecipeEvents } from "./recipes/recipe-events.js";
import { createRecipeRepository } from "./recipes/repository.js";

/** Options for {@link createRecipesApp}. */
export interface RecipesAppOptions {
  /** `memory://` (in-memory PGlite), a directory (PGlite on disk) or `postgres://...`. @default "memory://" */
  databaseUrl?: string;
  /** Postgres schema holding the tables (isolates test runs on one database). @default "public" */
  databaseSchema?: string;
  /** TCP port; `0` picks a free one. @default 4000 */
  port?: number;
  /** Interface to bind. @default "127.0.0.1" */
  host?: string;
  /** HMAC-SHA256 secret of `POST /webhooks/recipes`. @default "dev-webhook-secret" */
  webhookSecret?: string;
  /** pino level of the default logger (ignored when `logger` is given). @default "info" */
  logLevel?: string;
  /** Where logs and the audit trail go. @default pino({ level: logLevel }) on stdout */
  logger?: Logger;
  /** `development` seeds the story and serves GraphiQL; `production` does neither and hides field suggestions. @default process.env.NODE_ENV ?? "development" */
  nodeEnv?: string;
  /** Folder with the web page's build, served at `/`. @default examples/recipes/web/dist */
  webRoot?: string;
  /**
   * Other origins whose pages may call `/graphql` (CORS allowlist), as a list or
   * comma-separated. @default process.env.CORS_ORIGINS, else none (same-origin only)
   */
  corsOrigins?: string | readonly string[];
  /**
   * Reverse proxies in front of the app whose `X-Forwarded-For` entry names the
   * client; 0 trusts no header and uses the socket address.
   * @default process.env.TRUST_PROXY, else 0
   */
  trustedProxyHops?: number;
  /** Login attempts allowed per client address per minute. @default 100 */
  maxLoginAttemptsPerAddress?: number;
  /** `redis://...`: the login limiter counts in Redis, shared by every node (fails closed while Redis is down). @default undefined (per process) */
  redisUrl?: string;
}

/** A running app. */
export interface RecipesApp {
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  url: string;
  port: number;
  /** Stops accepting requests, then closes the database. */
  close(): Promise<void>;
  /** The gatehouse store (roles, users, assignments): for tests and admin scripts. */
  store: Store;
}

export const DEFAULT_WEBHOOK_SECRET = "dev-webhook-secret";
const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../web/dist", import.meta.url));
/** Paths under the API's prefixes: unknown ones are a 404, never the web page. */
const API_PATHS = /^\/(api|auth|webhooks|graphql|\.well-known)(\/|$)/;

/**
 * Starts the recipes API: `POST /auth/login`, `POST /auth/logout`, `GET /.well-known/jwks.json`,
 * `/graphql` (Yoga + gatehouse), `POST /webhooks/recipes` and the web page at `/`.
 * @throws TypeError for invalid options; store errors when the database cannot be opened.
 * @example
 * const app = await createRecipesApp({ databaseUrl: "memory://", port: 0 });
 * await fetch(`${app.url}/graphql`, { method: "POST", body: JSON.stringify({ query: "{ recipes { title } }" }) });
 * await app.close();
 */
export async function createRecipesApp(options: RecipesAppOptions = {}): Promise<RecipesApp> {
  const port = options.port ?? 4000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError("createRecipesApp: port must be an integer 0-65535.");
  const host = options.host ?? "127.0.0.1";
  const nodeEnv = options.nodeEnv ?? process.env.NODE_ENV ?? "development";
  const dev = nodeEnv !== "production";
  const logger = options.logger ?? pino({ level: options.logLevel ?? "info" });
  const webhookSecret = options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
  if (!dev && webhookSecret === DEFAULT_WEBHOOK_SECRET) {
    logger.warn("WEBHOOK_SECRET is the development default; set a real secret in production.");
  }
  const webhook = createWebhookHandler({ secret: webhookSecret, logger });
  const cors = createCorsPolicy(parseCorsOrigins(options.corsOrigins ?? process.env.CORS_ORIGINS));
  const hops = options.trustedProxyHops ?? trustedProxyHopsFrom(process.env.TRUST_PROXY);
  const events = createSecurityEventLog(logger);

  const store = await createStore({
    url: options.databaseUrl ?? "memory://",
    schema: options.databaseSchema,
    migrations: RECIPES_MIGRATIONS,
  });
  const authorizer = storeAuthorizer(store, { ttlMs: 30_000 });
  const disposers: Array<() => unknown> = [() => authorizer.dispose()];
  try {
    const shared = await createSharedCounters(options.redisUrl, logger);
    disposers.push(() => shared.close());
    const recipeEvents = createRecipeEvents();
    const recipes = createRecipeRepository(store.db);
    const bridge = await createRecipeEventBridge({
      events: recipeEvents,
      db: store.db,
      load: (id) => recipes.get(id),
      databaseUrl: options.databaseUrl ?? "memory://",
      schema: options.databaseSchema ?? "public",
      logger,
    });
    disposers.push(() => bridge.close());
    const repository = withRecipeEvents(recipes, bridge.announce);
    // Seeding is for the story in development and tests; a production database starts empty.
    if (dev && (await seedIfEmpty(store, repository))) logger.info("seeded users joe, jane, ed, admin and four recipes");
    const keys = await loadSigningKeys(store.db);
    // Tokens issued before store.revokeSessions(userId) (logout, admin) are refused on every node.
    const tokens = revocationGuard(store, createTokenAuthenticator(keys.jwks), {
      // The token is refused (fail closed); the outage belongs in the log.
      onStoreError: (error) => logger.error({ error: summarizeError(error) }, "session revocation check failed"),
    });
    disposers.push(() => tokens.dispose());
    const security = createSecurity({ authenticators: [tokens], authorizers: [authorizer] });
    const yoga = createRecipesYoga({ security, services: { store, repository }, logger, dev, events: recipeEvents });
    const login = createLoginHandler({
      store,
      keys,
      events,
      trustedProxyHops: hops,
      maxAttemptsPerAddress: options.maxLoginAttemptsPerAddress,
      counters: shared.counters,
    });
    const readiness = createReadiness({ db: store.db, migrationIds: RECIPES_MIGRATIONS.map((m) => m.id) });
    // API routes answer 503 while the database is unreachable or not migrated, not a masked 500 per request.
    const whenReady = (handler: RouteHandler): RouteHandler => async (req, res, pathname) => {
      const reason = await readiness.check();
      return reason === null ? handler(req, res, pathname) : sendNotReady(res, reason);
    };
    const graphql: RouteHandler = async (req, res) => {
      if (req.method === "OPTIONS") return cors.answerOptions(req, res);
      const refusedToken = (response: Response) => {
        // 401 from /graphql means the request's credentials were refused (authorization failures are 200 + errors).
        if (response.status === 401) events({ event: "token_refused", clientAddress: clientAddress(req, hops), code: "INVALID_CREDENTIALS" });
        return response;
      };
      return serveFetch(async (r) => refusedToken(await yoga.fetch(r)), req, res, origin, cors.headersFor(req));
    };
    const serveStatic = createStaticHandler(options.webRoot ?? DEFAULT_WEB_ROOT);
    let origin = "";

    const route = createRouter(
      [
        { path: "/auth/login", methods: ["POST"], handler: whenReady(login) },
        { path: "/healthz", methods: ["GET", "HEAD"], handler: handleHealthz },
        { path: "/readyz", methods: ["GET", "HEAD"], handler: createReadyzHandler(readiness) },
        { path: "/auth/logout", methods: ["POST"], handler: whenReady(createLogoutHandler({ security, store })) },
        { path: "/.well-known/jwks.json", methods: ["GET", "HEAD"], handler: async (_q, res) => sendJson(res, 200, keys.jwks, { "cache-control": "public, max-age=300" }) },
        { path: "/graphql", methods: ["GET", "POST", "OPTIONS"], handler: whenReady(graphql) },
        { path: "/webhooks/recipes", methods: ["POST"], handler: whenReady(webhook) },
        ...graphiqlRoutes(dev),
      ],
      async (req, res, pathname) => {
        // The page's client-side routes fall back to index.html; an API path never does.
        if ((req.method !== "GET" && req.method !== "HEAD") || API_PATHS.test(pathname)) {
          return sendJson(res, 404, { error: { code: "NOT_FOUND", message: "Not found." } });
        }
        return serveStatic(req, res, pathname);
      },
    );

    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      // Name, code and message only: driver errors carry the query's parameter values.
      const fail = (error: unknown) => sendFailure(res, error, (e) => logger.error({ error: summarizeError(e) }, "request failed"));
      try {
        route(req, res, pathnameOf(req)).catch(fail);
      } catch (error) {
        fail(error);
      }
    });
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    const bound = (server.address() as AddressInfo).port;
    origin = `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;

    let closing: Promise<void> | undefined;
    return {
      url: origin,
      port: bound,
      store,
      close() {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          await yoga.dispose?.();
          for (const dispose of disposers) await dispose();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    for (const dispose of disposers) await dispose();
    await store.close();
    throw error;
  }
}

/** Whether the web page has been built (for the start banner). */
export function hasWebBuild(webRoot: string = DEFAULT_WEB_ROOT): boolean {
  return existsSync(webRoot);
}
