import type { Credentials } from "../core/index.js";

/** Anything with request headers: a Fetch `Request`, a Node `IncomingMessage`, or a plain `{ headers }` object. */
export type CredentialSource =
  | { headers: HeadersLike }
  | { headers: Record<string, string | string[] | undefined>; rawHeaders?: string[] };

/** The part of the Fetch `Headers` API that is read. */
export interface HeadersLike {
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}

/** Options for {@link getCredentials}. */
export interface GetCredentialsOptions {
  /**
   * Name of a cookie holding a bearer token (browser sessions). Read only
   * when no `Authorization: Bearer` header is present.
   * @default undefined (cookies are ignored)
   */
  cookieName?: string;
}

/** Which credential header was present but unusable. */
export type MalformedCredential = "authorization" | "x-api-key" | "cookie";

/**
 * Credentials read from an HTTP request. `malformed` lists credentials that
 * were present but unusable (e.g. `Bearer` with no token): such a request is
 * rejected by `authenticateRequest`, never treated as anonymous.
 */
export interface HttpCredentials extends Credentials {
  malformed?: MalformedCredential[];
}

/** Stands in for credential values in `credentials.headers`, so logs never carry them. */
export const REDACTED = "[REDACTED]";

const SECRET_HEADERS: ReadonlySet<string> = new Set(["authorization", "proxy-authorization", "cookie", "x-api-key"]);
// RFC 6750 §2.1 b64token.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const API_KEY = /^[\x21-\x7e]+$/;
const MAX_CREDENTIAL_LENGTH = 16_384;
const WHITESPACE = /\s/;

/**
 * Reads `Authorization: Bearer <token>` (scheme case-insensitive; other
 * schemes are ignored), `X-API-Key`, and optionally a token cookie.
 * Header names are lower-cased and secret values redacted in `credentials.headers`.
 * @example
 * const credentials = getCredentials(request, { cookieName: "session" });
 * const ctx = await security.authenticate(credentials);
 */
export function getCredentials(request: CredentialSource, options: GetCredentialsOptions = {}): HttpCredentials {
  const raw = readHeaders(request);
  const credentials: HttpCredentials = { headers: raw.redacted };
  const malformed: MalformedCredential[] = [];

  if (raw.authorization !== undefined) {
    const bearer = parseAuthorization(raw.authorization, raw.authorizationCount);
    if (bearer === "malformed") malformed.push("authorization");
    else if (bearer !== null) credentials.token = bearer;
  }

  if (raw.apiKey !== undefined) {
    const value = raw.apiKey.trim();
    if (value.length > 0 && value.length <= MAX_CREDENTIAL_LENGTH && API_KEY.test(value)) credentials.apiKey = value;
    else malformed.push("x-api-key");
  }

  if (options.cookieName !== undefined && credentials.token === undefined && !malformed.includes("authorization")) {
    const cookie = readCookie(raw.cookie, options.cookieName);
    if (cookie === "malformed") malformed.push("cookie");
    else if (cookie !== null) credentials.token = cookie;
  }

  if (malformed.length > 0) credentials.malformed = malformed;
  return credentials;
}

/** `null`: not a bearer credential; `"malformed"`: a bearer credential that cannot be used. */
function parseAuthorization(value: string, count: number): string | null | "malformed" {
  // Two Authorization headers are ambiguous whatever their schemes: refuse rather than pick one.
  if (count > 1) return "malformed";
  const trimmed = value.trim();
  // Fetch `Headers` joins repeated headers with ", " ("Basic x, Bearer y"); a bearer token never contains a comma.
  if (trimmed.includes(",") && /(^|,)\s*bearer(\s|$)/i.test(trimmed)) return "malformed";
  const space = trimmed.search(WHITESPACE);
  const scheme = space < 0 ? trimmed : trimmed.slice(0, space);
  if (scheme.length !== 6 || scheme.toLowerCase() !== "bearer") return null;
  // "Bearer" alone is not a usable credential; nor is "Bearer a b", whose whitespace the token pattern refuses.
  const token = space < 0 ? "" : trimmed.slice(space).trimStart();
  return token.length > 0 && token.length <= MAX_CREDENTIAL_LENGTH && B64TOKEN.test(token) ? token : "malformed";
}

function readCookie(header: string | undefined, name: string): string | null | "malformed" {
  if (header === undefined) return null;
  const found = new Set<string>();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      found.add(decodeURIComponent(value));
    } catch {
      return "malformed";
    }
  }
  if (found.size === 0) return null;
  // Differing duplicates can be a cookie-tossing attempt from a sibling subdomain.
  if (found.size > 1) return "malformed";
  const token = [...found][0]!;
  return token.length > 0 && token.length <= MAX_CREDENTIAL_LENGTH && B64TOKEN.test(token) ? token : "malformed";
}

interface RawHeaders {
  /** Every header, names lower-cased, credential values replaced by {@link REDACTED}. */
  redacted: Record<string, string | undefined>;
  /** The credential headers, unredacted. */
  authorization: string | undefined;
  apiKey: string | undefined;
  cookie: string | undefined;
  authorizationCount: number;
}

/** One pass over the headers: the redacted copy for `credentials.headers` and the raw credential values. */
function readHeaders(request: CredentialSource): RawHeaders {
  const raw: RawHeaders = { redacted: {}, authorization: undefined, apiKey: undefined, cookie: undefined, authorizationCount: 0 };
  const headers = request?.headers as unknown;
  if (headers && typeof (headers as HeadersLike).forEach === "function" && typeof (headers as HeadersLike).get === "function") {
    (headers as HeadersLike).forEach((value, name) => keep(raw, name.toLowerCase(), value));
    raw.authorizationCount = 1;
    return raw;
  }
  let authorizationCount = 0;
  if (headers && typeof headers === "object") {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (value === undefined || value === null) continue;
      const key = name.toLowerCase();
      const list = Array.isArray(value) ? value.map(String) : [String(value)];
      if (key === "authorization") authorizationCount += list.length;
      // Names differing only in case are one header: their values are joined, as Node and Fetch join repeats.
      const separator = key === "cookie" ? "; " : ", ";
      const earlier = SECRET_HEADERS.has(key) ? secretValue(raw, key) : raw.redacted[key];
      const all = list.join(separator);
      keep(raw, key, Object.hasOwn(raw.redacted, key) && earlier !== undefined ? `${earlier}${separator}${all}` : all);
    }
  }
  // Node keeps only the first of duplicate Authorization headers; rawHeaders still shows them all.
  const rawHeaders = (request as { rawHeaders?: unknown }).rawHeaders;
  if (Array.isArray(rawHeaders)) {
    let count = 0;
    for (let i = 0; i < rawHeaders.length; i += 2) if (String(rawHeaders[i]).toLowerCase() === "authorization") count++;
    authorizationCount = Math.max(authorizationCount, count);
  }
  raw.authorizationCount = authorizationCount;
  return raw;
}

function secretValue(raw: RawHeaders, name: string): string | undefined {
  return name === "authorization" ? raw.authorization : name === "x-api-key" ? raw.apiKey : name === "cookie" ? raw.cookie : undefined;
}

function keep(raw: RawHeaders, name: string, value: string): void {
  if (!SECRET_HEADERS.has(name)) {
    raw.redacted[name] = value;
    return;
  }
  raw.redacted[name] = REDACTED;
  if (name === "authorization") raw.authorization = value;
  else if (name === "x-api-key") raw.apiKey = value;
  else if (name === "cookie") raw.cookie = value;
}

/** True when `credentials` carry a present-but-unusable credential. */
export function hasMalformedCredentials(credentials: Credentials): boolean {
  const malformed = (credentials as HttpCredentials).malformed;
  return Array.isArray(malformed) && malformed.length > 0;
}
