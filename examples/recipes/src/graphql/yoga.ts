import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import type { GraphQLError, ValidationContext } from "graphql";
import { createSchema, createYoga } from "graphql-yoga";
import type { Logger } from "pino";
import type { Security } from "gatehouse";
import { useGatehouse } from "gatehouse/envelop";
import type { SubscriptionGuardOptions } from "gatehouse/graphql";
import { createRecipesAuthz } from "./authz.js";
import { GRAPHIQL_CSP, renderGraphiQLPage } from "./graphiql.js";
import { summarizeError } from "../http/error-summary.js";
import type { RecipesContext, RecipesServices } from "./context.js";
import { createLiveResolvers, subscriptionGuard } from "./live.js";
import type { RecipeEvents } from "../recipes/recipe-events.js";
import { createResolvers } from "./resolvers.js";
import { typeDefs } from "./type-defs.js";

/**
 * Armor's validation limits throw by default, which Yoga answers with HTTP 200
 * and no error code; reported as validation errors they get the GraphQL over
 * HTTP answer instead: 400 with `GRAPHQL_VALIDATION_FAILED`. Without a
 * validation context (never expected) the error is still thrown: fail closed.
 */
const AS_VALIDATION_ERROR = Object.freeze({
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => {
      if (!context) throw error;
      context.reportError(error);
    },
  ],
});

/** Errors as name, code and message only (a database error carries its query's parameter values). */
function loggable(arg: unknown): unknown {
  return arg instanceof Error ? summarizeError(arg) : String(arg);
}

/** Options for {@link createRecipesYoga}. */
export interface RecipesYogaOptions {
  security: Security;
  services: RecipesServices;
  logger: Logger;
  /** GraphiQL on and field suggestions allowed in development only. */
  dev: boolean;
  /** Recipe changes for `Subscription.recipeChanged`. */
  events: RecipeEvents;
}

/**
 * The GraphQL endpoint: GraphQL Armor's limits (depth, aliases, cost,
 * tokens), gatehouse authentication and field authorization, masked errors.
 */
export function createRecipesYoga(options: RecipesYogaOptions) {
  const { security, services, logger, dev, events } = options;
  const audit = logger.child({ audit: true });
  const base = createResolvers(services, (entry) => audit.warn({ ...entry, decision: "deny" }, "authorization denied"));
  const live = createLiveResolvers({ store: services.store, events });
  const resolvers = { ...base, Mutation: { ...base.Mutation, ...live.Mutation }, Subscription: live.Subscription };
  const schema = createSchema<RecipesContext>({ typeDefs, resolvers });
  const authz = createRecipesAuthz({
    schema,
    repository: services.repository,
    // Production: introspection for signed-in callers only; development keeps it open for GraphiQL.
    introspection: dev ? "allow" : "authenticated",
    // One JSON line per denial; the event's own `time` is renamed so it does not repeat pino's key.
    audit: (event) => {
      const { time: at, ...rest } = event;
      audit.warn({ ...rest, at }, "authorization denied");
    },
    subscriptions: subscriptionGuard(security, services.store, logger) as SubscriptionGuardOptions,
  });

  return createYoga({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: dev,
    // Served from the installed package (see graphiql.ts), never from a CDN.
    renderGraphiQL: renderGraphiQLPage,
    landingPage: false,
    // Never ship stack traces or internal messages, whatever NODE_ENV says.
    maskedErrors: { isDev: false },
    logging: {
      debug: (...args: unknown[]) => logger.debug({ yoga: args.map(loggable) }),
      info: (...args: unknown[]) => logger.info({ yoga: args.map(loggable) }),
      warn: (...args: unknown[]) => logger.warn({ yoga: args.map(loggable) }),
      error: (...args: unknown[]) => logger.error({ yoga: args.map(loggable) }),
    },
    plugins: [
      // Suggestions ("Did you mean ...?") reveal hidden fields; only developers get them.
      EnvelopArmorPlugin({
        blockFieldSuggestion: { enabled: !dev },
        maxAliases: AS_VALIDATION_ERROR,
        maxDepth: AS_VALIDATION_ERROR,
        maxDirectives: AS_VALIDATION_ERROR,
        costLimit: AS_VALIDATION_ERROR,
      }),
      useGatehouse({ security, authz }),
      {
        // The only HTML Yoga answers is GraphiQL's page.
        onResponse({ response }) {
          if (response.headers.get("content-type")?.startsWith("text/html")) response.headers.set("content-security-policy", GRAPHIQL_CSP);
        },
      },
    ],
  });
}
