import { randomUUID } from "node:crypto";
import pg from "pg";
import { createPubSub } from "graphql-yoga";
import type { Logger } from "pino";
import type { Db } from "gatehouse/store";
import { summarizeError } from "../http/error-summary.js";
import type { RecipeRepository } from "./repository.js";
import type { Recipe } from "./types.js";

/** In-process fan-out of recipe changes to this node's subscribers. */
export type RecipeEvents = ReturnType<typeof createRecipeEvents>;

/** The channel `recipeChanged` subscriptions listen on. */
export function createRecipeEvents() {
  return createPubSub<{ recipeChanged: [Recipe] }>();
}

/**
 * The repository, announcing every create, update, publish and unpublish that took effect.
 * Deletes are not announced: a deleted recipe has nothing left to show. Who may see an event
 * is decided per subscriber when it is delivered, not here.
 */
export function withRecipeEvents(repository: RecipeRepository, announce: (recipe: Recipe) => void): RecipeRepository {
  const announced = (recipe: Recipe | null): Recipe | null => {
    if (recipe) announce(recipe);
    return recipe;
  };
  return {
    ...repository,
    async create(input, createdBy, options) {
      return announced(await repository.create(input, createdBy, options))!;
    },
    async update(id, input) {
      return announced(await repository.update(id, input));
    },
    async setPublished(id, published) {
      return announced(await repository.setPublished(id, published));
    },
  };
}

const CHANNEL = "recipes_changed";

/** Announces changes to this node's subscribers and, on Postgres, to every other node's. */
export interface RecipeEventBridge {
  announce(recipe: Recipe): void;
  close(): Promise<void>;
}

/**
 * With a `postgres://` url, changes travel to every node through `NOTIFY recipes_changed`
 * (only the id and schema: each node reads the recipe itself, committed by then); otherwise
 * they stay in this process. A dropped listen connection is re-opened; changes made while it
 * was down are not replayed (subscribers miss them, nothing is shown that should not be).
 */
export async function createRecipeEventBridge(options: {
  events: RecipeEvents;
  db: Db;
  load: (id: string) => Promise<Recipe | null>;
  databaseUrl: string;
  schema: string;
  logger: Logger;
}): Promise<RecipeEventBridge> {
  const { events, db, load, databaseUrl, schema, logger } = options;
  const local = (recipe: Recipe) => events.publish("recipeChanged", recipe);
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return { announce: local, close: async () => undefined };

  const origin = randomUUID();
  let client: pg.Client | undefined;
  let closed = false;

  function onNotification(payload: string | undefined): void {
    let message: { s?: unknown; o?: unknown; id?: unknown };
    try {
      message = JSON.parse(payload ?? "") as typeof message;
    } catch {
      return;
    }
    if (message.s !== schema || message.o === origin || typeof message.id !== "string") return;
    load(message.id).then(
      (recipe) => recipe && local(recipe),
      (error: unknown) => logger.warn({ error: summarizeError(error) }, "recipe event: could not load the recipe"),
    );
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: databaseUrl, application_name: `recipes_events:${schema}` });
    c.on("notification", (msg) => msg.channel === CHANNEL && onNotification(msg.payload));
    c.on("error", () => retry(c));
    c.on("end", () => retry(c));
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
  }

  function retry(dead: pg.Client, delayMs = 500): void {
    if (closed || (client !== undefined && client !== dead)) return;
    client = undefined;
    dead.end().catch(() => undefined);
    setTimeout(() => {
      if (closed || client) return;
      connect().catch(() => retry(dead, Math.min(delayMs * 2, 5000)));
    }, delayMs).unref();
  }

  await connect();
  return {
    announce(recipe) {
      local(recipe);
      db.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify({ s: schema, o: origin, id: recipe.id })]).catch((error: unknown) =>
        logger.warn({ error: summarizeError(error) }, "recipe event: could not notify other nodes"),
      );
    },
    async close() {
      closed = true;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
