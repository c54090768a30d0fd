import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from "@apollo/server";
import { getVariableValues, Kind, type DocumentNode, type ExecutionResult, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type { Security, SecurityContext } from "../../core/index.js";
import type { Authz } from "../../graphql/index.js";
import { authenticateNowOf } from "../../core/create-security.js";
import { isPromiseLike } from "../../core/sync-path.js";
import { authenticateRequestNow } from "../../http/authenticate-request.js";
import type { CredentialSource } from "../../http/index.js";
import { toAuthenticationGraphQLError } from "../auth-errors.js";
import { armReplay, prepareReplay, type Replay } from "./error-replay.js";

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
  const authenticate = authenticateNowOf(security);
  return async ({ req }) => {
    try {
      // Apollo awaits the context anyway; awaiting only a real promise spares the request a turn.
      const ctx = authenticateRequestNow(authenticate, req, { cookieName });
      return { security: isPromiseLike(ctx) ? await ctx : ctx };
    } catch (error) {
      throw toAuthenticationGraphQLError(error, "map");
    }
  };
}

/**
 * Apollo Server 5 plugin that runs every operation through `authz.execute`.
 *
 * A result without errors is answered directly (`responseForOperation`). A
 * result with errors is handed back to Apollo: its execution re-raises
 * exactly those errors, so they pass through the server's `formatError`,
 * `includeStacktraceInErrorResponses` and every plugin's `didEncounterErrors`
 * as they would without gatehouse (a resolver's `SECRET-DB-ERROR` is masked
 * by your `formatError`, never sent raw), and the data is gatehouse's own.
 * Resolvers run once, inside `authz.execute`.
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
      let replay: Replay | null = null;
      return {
        async responseForOperation(requestContext): Promise<GraphQLResponse | null> {
          const { schema, document, operation } = requestContext;
          const variables = requestContext.request.variables ?? {};
          // Variables that do not coerce fail before any resolver runs: Apollo answers that itself, exactly as
          // usual, but over an operation that selects only `__typename`, so a custom scalar that fails only
          // once can never run the real operation unchecked.
          if (getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) {
            (requestContext as { document: unknown }).document = typenameOnly(operation);
            return null;
          }
          const result = (await authz.execute({
            schema,
            document,
            operationName: requestContext.operationName ?? requestContext.request.operationName ?? null,
            variableValues: variables,
            contextValue: requestContext.contextValue,
          })) as ExecutionResult;
          if (!result.errors?.length) {
            return {
              http: requestContext.response.http,
              body: { kind: "single", singleResult: { data: result.data, extensions: result.extensions } },
            } as GraphQLResponse;
          }
          replay = prepareReplay(schema as GraphQLSchema, result, requestContext.request.operationName ?? null);
          if (!replay) return maskedResponse(requestContext.response.http, result);
          // Apollo now executes the replay document instead of the operation (which already ran).
          armReplay(replay, requestContext.contextValue);
          (requestContext as { document: unknown }).document = replay.document;
          return null;
        },
        async willSendResponse(requestContext) {
          if (!replay) return;
          const body = requestContext.response.body;
          if (body.kind !== "single") return;
          // Apollo formatted the errors; the data is the operation's, not the replay document's.
          if (replay.result.data === undefined) delete body.singleResult.data;
          else body.singleResult.data = replay.result.data as Record<string, unknown> | null;
          if (replay.result.extensions !== undefined) body.singleResult.extensions = replay.result.extensions;
          // A whole-operation error was replayed with an empty path (so graphql-js would not relocate it): drop it again.
          body.singleResult.errors = body.singleResult.errors?.map((e) => {
            if (!Array.isArray(e.path) || e.path.length > 0) return e;
            const { path: _path, ...rest } = e;
            return rest;
          });
          replay = null;
        },
      };
    },
  };
}

/**
 * Only when the schema's query type has no field the replay can use (every
 * field takes a required argument): gatehouse errors keep their message and
 * code, anything else is masked, never sent raw.
 */
function maskedResponse(http: GraphQLResponse["http"], result: ExecutionResult): GraphQLResponse {
  const errors = result.errors!.map((e) => {
    const code = e.extensions?.code;
    if (code === "FORBIDDEN" || code === "UNAUTHENTICATED") return e.toJSON();
    return { message: "Internal server error", ...(e.path ? { path: e.path } : {}), extensions: { code: "INTERNAL_SERVER_ERROR" } };
  });
  return { http, body: { kind: "single", singleResult: { data: result.data, errors, extensions: result.extensions } } } as GraphQLResponse;
}

/** The operation with its name and variable definitions, selecting only `__typename` (no resolver runs). */
function typenameOnly(operation: OperationDefinitionNode): DocumentNode {
  const selection: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } };
  return { kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] } }] };
}
