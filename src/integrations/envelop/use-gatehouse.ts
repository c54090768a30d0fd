import type { ExecuteFunction, Plugin, SubscribeFunction } from "@envelop/core";
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from "graphql";
import type { Security, SecurityContext } from "../../core/index.js";
import type { Authz, Executor } from "../../graphql/index.js";
import { authenticateNowOf } from "../../core/create-security.js";
import { isPromiseLike, type PromiseOrValue } from "../../core/sync-path.js";
import type { CredentialSource } from "../../http/index.js";
import { authenticateCredentialsNow, authenticateRequestNow } from "../../http/authenticate-request.js";
import { connectionParamsCredentials, mergeCredentials } from "../../http/connection-params.js";
import { getCredentials } from "../../http/credentials.js";
import { toAuthenticationGraphQLError } from "../auth-errors.js";

/** Options for {@link useGatehouse}. */
export interface UseGatehouseOptions {
  /** The authenticate → authorize pipeline. */
  security: Security;
  /** Field-level authorization; its `execute`/`subscribe` replace the engine's. Omit to only authenticate. */
  authz?: Pick<Authz, "execute" | "subscribe">;
  /**
   * Finds the HTTP request in the server's context.
   * @default context.request (Yoga, Fetch) ?? context.req (Node servers)
   */
  getRequest?: (context: Record<string, unknown>) => CredentialSource | undefined;
  /** Passed to `getCredentials`; e.g. a session cookie name. @default undefined (cookies ignored) */
  cookieName?: string;
}

/**
 * Envelop / GraphQL Yoga plugin: authenticates each request from its
 * `Authorization: Bearer` / `X-API-Key` headers (for a WebSocket operation,
 * also from the graphql-ws `connectionParams` in its context; see
 * `connectionParamsCredentials`), puts the `SecurityContext`
 * on the GraphQL context as `security`, and swaps in `authz.execute`.
 * Invalid credentials answer HTTP 401 with `WWW-Authenticate: Bearer
 * error="invalid_token"`; a request without credentials is anonymous.
 * @example
 * createYoga({ schema, plugins: [useGatehouse({ security, authz })] });
 */
export function useGatehouse(options: UseGatehouseOptions): Plugin<{ security: SecurityContext }> & YogaResponseHook {
  const { security, authz, cookieName } = options;
  if (!security || typeof security.authenticate !== "function") {
    throw new TypeError("useGatehouse: `security` must come from createSecurity().");
  }
  const getRequest = options.getRequest ?? defaultGetRequest;
  const authenticate = authenticateNowOf(security);
  // Executions and subscriptions that went through authz (by context / by args): a plugin after
  // this one that replaces the executor or subscribe function would skip every rule, so such
  // an operation is refused (fail closed) instead of answered unchecked.
  const ran = new WeakSet<object>();
  const mark = (key: unknown) => {
    if (typeof key === "object" && key !== null) ran.add(key);
  };
  // Made once, not per request.
  const execute: ExecuteFunction | undefined = authz && ((args) => (mark(args.contextValue), authz.execute(args as ExecutionArgs)));
  // authz.execute over the engine's own executor (Yoga's is faster than graphql-js), one wrapper per executor.
  const overEngine = new WeakMap<ExecuteFunction, ExecuteFunction>();
  const ours = new WeakSet<ExecuteFunction>();
  const executeOver = (engine: ExecuteFunction): ExecuteFunction | undefined => {
    if (!authz || ours.has(engine)) return execute;
    let wrapped = overEngine.get(engine);
    if (!wrapped) {
      const run = engine as unknown as Executor;
      wrapped = (args) => (mark(args.contextValue), authz.execute(args as ExecutionArgs, run));
      overEngine.set(engine, wrapped);
      ours.add(wrapped);
    }
    return wrapped;
  };
  const subscribe: SubscribeFunction | undefined = authz && ((args) => (mark(args), authz.subscribe(args as ExecutionArgs)));
  // HTTP requests whose credentials were refused, with the refusal's status and headers. Yoga
  // answers a batch (a JSON array of operations) with 200 whatever its errors say, so the
  // response hook below gives such a batch the status a single operation gets.
  const refusedRequests = new WeakMap<object, HttpRefusal>();
  const refuse = (request: CredentialSource | undefined, error: unknown): unknown => {
    const refusal = toAuthenticationGraphQLError(error, "record");
    const http = httpOf(refusal);
    if (http && typeof request === "object" && request !== null) refusedRequests.set(request, http);
    return refusal;
  };

  return {
    // Not async: when the credentials are decided without waiting (a cached token, a local key) the
    // context is extended at once, sparing every request the promise an async hook costs.
    onContextBuilding({ context, extendContext }) {
      const request = getRequest(context as Record<string, unknown>);
      // A WebSocket operation (graphql-ws over Yoga) carries its client's credentials in connectionParams.
      const params = (context as { connectionParams?: unknown }).connectionParams;
      let ctx: PromiseOrValue<SecurityContext>;
      try {
        // Present-but-malformed credentials are refused, never anonymous.
        if (params !== undefined) {
          const upgrade = request ? getCredentials(request, { cookieName }) : {};
          ctx = authenticateCredentialsNow(authenticate, mergeCredentials(connectionParamsCredentials(params), upgrade));
        } else ctx = request ? authenticateRequestNow(authenticate, request, { cookieName }) : authenticate({});
      } catch (error) {
        throw refuse(request, error);
      }
      if (!isPromiseLike(ctx)) {
        extendContext({ security: ctx });
        return;
      }
      return ctx.then(
        (security) => extendContext({ security }),
        (error: unknown) => {
          throw refuse(request, error);
        },
      );
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      const refusal = refusedRequests.get(request);
      if (!refusal) return;
      refusedRequests.delete(request);
      if (response.status !== 200) return;
      const headers = new fetchAPI.Headers(response.headers);
      for (const [name, value] of Object.entries(refusal.headers)) headers.set(name, value);
      setResponse(new fetchAPI.Response(response.body, { status: refusal.status, headers }));
    },
    onExecute({ executeFn, setExecuteFn, context, args }) {
      const wrapped = typeof executeFn === "function" ? executeOver(executeFn) : execute;
      if (!wrapped) return;
      setExecuteFn(wrapped);
      return {
        onExecuteDone({ setResult }) {
          if (!ran.delete(context ?? args.contextValue)) setResult(bypassed());
        },
      };
    },
    onSubscribe({ setSubscribeFn, args }) {
      if (!subscribe) return;
      setSubscribeFn(subscribe);
      return {
        onSubscribeResult({ setResult }) {
          if (!ran.delete(args)) setResult(bypassed());
        },
      };
    },
  };
}

/** The status and headers of a refused authentication, as `toAuthenticationGraphQLError` puts them on the error. */
interface HttpRefusal {
  status: number;
  headers: Record<string, string>;
}

function httpOf(error: unknown): HttpRefusal | undefined {
  const http = (error as { extensions?: { http?: { status?: unknown; headers?: unknown } } } | null)?.extensions?.http;
  if (typeof http?.status !== "number") return undefined;
  return { status: http.status, headers: (http.headers ?? {}) as Record<string, string> };
}

/**
 * GraphQL Yoga's response hook (Yoga plugins are Envelop plugins with server
 * hooks), typed here so that the plugin needs no Yoga import; plain Envelop never calls it.
 */
export interface YogaResponseHook {
  onResponse(payload: {
    request: Request;
    response: Response;
    setResponse(response: Response): void;
    fetchAPI: { Response: typeof Response; Headers: typeof Headers };
  }): void;
}

function defaultGetRequest(context: Record<string, unknown>): CredentialSource | undefined {
  return (context.request ?? context.req) as CredentialSource | undefined;
}

/** The answer to an operation that another plugin ran without authz. */
function bypassed(): ExecutionResult {
  return { errors: [new GraphQLError("Not authorized: the operation did not run through gatehouse (a plugin after useGatehouse replaced the executor).", { extensions: { code: "FORBIDDEN" } })] };
}
