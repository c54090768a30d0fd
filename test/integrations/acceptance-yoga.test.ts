// Acceptance over HTTP: GraphQL Yoga with the Envelop plugin.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { createYoga } from "graphql-yoga";
import { useGatehouse } from "gatehouse/envelop";
import { graphqlAcceptance } from "./acceptance-graphql.js";

graphqlAcceptance("Yoga + useGatehouse", async (api) => {
  const logs: string[] = [];
  const log = (...args: unknown[]) => logs.push(args.map((a) => inspect(a, { depth: 8 })).join(" "));
  const yoga = createYoga({ schema: api.schema, plugins: [useGatehouse({ security: api.security, authz: api.authz })], logging: { debug: log, info: log, warn: log, error: log } });
  const server = createServer(yoga);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    logs,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
});
