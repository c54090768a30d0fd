import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { createSchema, createYoga } from "graphql-yoga";
import type { Logger } from "pino";
import type { Security } from "gatehouse";
import { useGatehouse } from "gatehouse/envelop";
import { createRecipesAuthz } from "./authz.js";
import type { RecipesContext, RecipesServices } from "./context.js";
import { createResolvers } from "./resolvers.js";
import { typeDefs } from "./type-defs.js";

/** Options for {@link createRecipesYoga}. */
export interface RecipesYogaOptions {
  security: Security;
  services: RecipesServices;
  logger: Logger;
  /** GraphiQL on and field suggestions allowed in development only. */
  dev: boolean;
}

/**
 * The GraphQL endpoint: GraphQL Armor's limits (depth, aliases, cost,
 * tokens), gatehouse authentication and field authorization, masked errors.
 */
export function createRecipesYoga(options: RecipesYogaOptions) {
  const { security, services, logger, dev } = options;
  const audit = logger.child({ audit: true });
  const resolvers = createResolvers(services, (entry) => audit.warn({ ...entry, decision: "deny" }, "authorization denied"));
  const schema = createSchema<RecipesContext>({ typeDefs, resolvers });
  const authz = createRecipesAuthz({
    schema,
    repository: services.repository,
    // One JSON line per denial; the event's own `time` is renamed so it does not repeat pino's key.
    audit: (event) => {
      const { time: at, ...rest } = event;
      audit.warn({ ...rest, at }, "authorization denied");
    },
  });

  return createYoga({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: dev,
    landingPage: false,
    // Never ship stack traces or internal messages, whatever NODE_ENV says.
    maskedErrors: { isDev: false },
    logging: {
      debug: (...args: unknown[]) => logger.debug({ yoga: args.map(String) }),
      info: (...args: unknown[]) => logger.info({ yoga: args.map(String) }),
      warn: (...args: unknown[]) => logger.warn({ yoga: args.map(String) }),
      error: (...args: unknown[]) => logger.error({ yoga: args.map(String) }),
    },
    plugins: [
      // Suggestions ("Did you mean ...?") reveal hidden fields; only developers get them.
      EnvelopArmorPlugin({ blockFieldSuggestion: { enabled: !dev } }),
      useGatehouse({ security, authz }),
    ],
  });
}
