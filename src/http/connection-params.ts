import { getCredentials, type HttpCredentials, type MalformedCredential } from "./credentials.js";

/** The connection parameters that carry credentials, by lower-cased name. */
const CREDENTIAL_PARAMS: ReadonlyMap<string, MalformedCredential> = new Map([
  ["authorization", "authorization"],
  ["x-api-key", "x-api-key"],
]);

/**
 * Credentials from a WebSocket client's connection parameters (the payload
 * of graphql-ws's `connection_init`). Browsers cannot set headers on a
 * WebSocket, so clients send them there instead:
 * `connectionParams: { Authorization: "Bearer <token>" }` or
 * `{ "X-API-Key": "<key>" }` (names in any case). They are read exactly as
 * the headers of an HTTP request; a credential parameter that is not a
 * string, or is given twice under names differing in case, is malformed
 * (refused, never anonymous). Other parameters are ignored.
 * @example
 * // graphql-ws: useServer({ context: (ctx) => authenticate(connectionParamsCredentials(ctx.connectionParams)) }, wsServer)
 * const credentials = connectionParamsCredentials({ Authorization: `Bearer ${token}` });
 */
export function connectionParamsCredentials(params: unknown): HttpCredentials {
  const headers: Record<string, string> = {};
  const malformed = new Set<MalformedCredential>();
  if (params !== null && typeof params === "object" && !Array.isArray(params)) {
    for (const [name, value] of Object.entries(params)) {
      const kind = CREDENTIAL_PARAMS.get(name.toLowerCase());
      if (kind === undefined || value === undefined || value === null) continue;
      // Several names for one credential are read as repeated headers: a second Authorization is refused.
      if (typeof value === "string") headers[name] = value;
      else malformed.add(kind);
    }
  }
  const credentials = getCredentials({ headers });
  for (const kind of credentials.malformed ?? []) malformed.add(kind);
  if (malformed.size > 0) credentials.malformed = [...malformed];
  return credentials;
}

/**
 * One WebSocket operation's credentials: its connection parameters and the
 * HTTP upgrade request's headers. The same credential in both counts once;
 * two different tokens (or keys) are ambiguous and malformed. @internal
 */
export function mergeCredentials(params: HttpCredentials, upgrade: HttpCredentials): HttpCredentials {
  const malformed = new Set<MalformedCredential>([...(params.malformed ?? []), ...(upgrade.malformed ?? [])]);
  const merged: HttpCredentials = { headers: upgrade.headers ?? params.headers };
  const token = one(params.token, upgrade.token);
  const apiKey = one(params.apiKey, upgrade.apiKey);
  if (token === CONFLICT) malformed.add("authorization");
  else if (token !== undefined) merged.token = token;
  if (apiKey === CONFLICT) malformed.add("x-api-key");
  else if (apiKey !== undefined) merged.apiKey = apiKey;
  if (malformed.size > 0) merged.malformed = [...malformed];
  return merged;
}

const CONFLICT = Symbol("conflict");

function one(a: string | undefined, b: string | undefined): string | undefined | typeof CONFLICT {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  return CONFLICT;
}
