import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from "@apollo/server";
import type { ExecutionResult } from "graphql";
import type { Security, SecurityContext } from "../../core/index.js";
import type { Authz } from "../../graphql/index.js";
import { authenticateRequest, type CredentialSource } from "../../http/index.js";
import { toAuthenticationGraphQLError } from "../auth-errors.js";

/** The context shape gatehouse adds. */
export interface GatehouseApolloContext extends BaseContext {
  security: SecurityContext;
}

/** Options for {@link gatehouseContext}. */
export interface GatehouseContextOptions {
  security: Security;
  /** Passed to `getCredentials`. @default undefined (cookies ignored) */
  cookieName?: string;
}

/**
 * Builds the `security` part of an Apollo Server context from the request.
 * Invalid credentials → HTTP 401 with `WWW-Authenticate: Bearer error="invalid_token"`;
 * no credentials → anonymous.
 * @example
 * startStandaloneServer(server, { context: async ({ req }) => ({ ...(await gatehouseContext({ security })({ req })) }) });
 */
export function gatehouseContext(options: GatehouseContextOptions): (args: { req: CredentialSource }) => Promise<GatehouseApolloContext> {
  const { security, cookieName } = options;
  if (!security || typeof security.authenticate !== "function") {
    throw new TypeError("gatehouseContext: `security` must come from createSecurity().");
  }
  return async ({ req }) => {
    try {
      return { security: await authenticateRequest(security, req, { cookieName }) };
    } catch (error) {
      throw toAuthenticationGraphQLError(error, "map");
    }
  };
}

/**
 * Apollo Server 5 plugin that runs every operation through `authz.execute`
 * (via `responseForOperation`, so Apollo's own execution is replaced, not wrapped).
 * @example
 * new ApolloServer({ schema, plugins: [gatehouseApolloPlugin({ authz })] });
 */
export function gatehouseApolloPlugin<TContext extends GatehouseApolloContext>(options: {
  authz: Pick<Authz, "execute">;
}): ApolloServerPlugin<TContext> {
  const { authz } = options;
  if (!authz || typeof authz.execute !== "function") throw new TypeError("gatehouseApolloPlugin: `authz` must come from createAuthz().");
  return {
    async requestDidStart() {
      return {
        async responseForOperation(requestContext): Promise<GraphQLResponse | null> {
          const result = (await authz.execute({
            schema: requestContext.schema,
            document: requestContext.document,
            operationName: requestContext.operationName ?? requestContext.request.operationName ?? null,
            variableValues: requestContext.request.variables ?? null,
            contextValue: requestContext.contextValue,
          })) as ExecutionResult;
          return {
            http: requestContext.response.http,
            // toJSON keeps only message, locations, path and extensions: nothing internal reaches the wire.
            body: {
              kind: "single",
              singleResult: { data: result.data, errors: result.errors?.map((e) => e.toJSON()), extensions: result.extensions },
            },
          } as GraphQLResponse;
        },
      };
    },
  };
}
