// Acceptance over HTTP: Apollo Server 5 with the gatehouse plugin and context.
import { inspect } from "node:util";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { gatehouseApolloPlugin, gatehouseContext, type GatehouseApolloContext } from "gatehouse/apollo";
import { graphqlAcceptance } from "./acceptance-graphql.js";

graphqlAcceptance("Apollo Server 5", async (api) => {
  const logs: string[] = [];
  const log = (...args: unknown[]) => logs.push(args.map((a) => inspect(a, { depth: 8 })).join(" "));
  const server = new ApolloServer<GatehouseApolloContext>({
    schema: api.schema,
    plugins: [gatehouseApolloPlugin({ authz: api.authz })],
    logger: { debug: log, info: log, warn: log, error: log },
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" }, context: gatehouseContext({ security: api.security }) });
  return { url, logs, close: () => server.stop() };
});
