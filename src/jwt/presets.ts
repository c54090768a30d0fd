import type { JWTPayload } from "jose";
import type { Identity } from "../core/index.js";
import { stringList, type JwtAuthenticatorOptions } from "./options.js";

/** What a preset fills in; spread it into `jwtAuthenticator` and add or override the rest. */
export type PresetOptions = JwtAuthenticatorOptions;

/** Which Cognito tokens an API accepts: `"access"` (`client_id`) and/or `"id"` (`aud`). */
export type CognitoTokenUse = "access" | "id";

const fail = (preset: string, message: string): never => {
  throw new TypeError(`presets.${preset}: ${message}`);
};

/** A bare host name (`tenant.eu.auth0.com`); a leading `https://` and trailing `/` are tolerated. */
function host(preset: string, name: string, value: unknown): string {
  const bare = typeof value === "string" ? value.trim().replace(/^https:\/\//, "").replace(/\/+$/, "") : "";
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(bare)) fail(preset, `\`${name}\` must be a host name such as "example.com".`);
  return bare.toLowerCase();
}

function httpsUrl(preset: string, name: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {
    fail(preset, `\`${name}\` must be an absolute https:// URL.`);
  }
  if (url!.protocol !== "https:" && !(url!.protocol === "http:" && ["localhost", "127.0.0.1"].includes(url!.hostname))) {
    fail(preset, `\`${name}\` must use https://.`);
  }
  return url!.href.replace(/\/+$/, "");
}

function slug(preset: string, name: string, value: unknown, pattern: RegExp): string {
  if (typeof value !== "string" || !pattern.test(value)) fail(preset, `\`${name}\` is missing or malformed.`);
  return value as string;
}

/** Builds a mapClaims that reads roles with `roles` and the display name from the first string claim in `names`. */
function mapper(roles: (claims: JWTPayload) => string[], names: string[]): (claims: JWTPayload) => Identity | null {
  return (claims) => {
    if (typeof claims.sub !== "string" || claims.sub === "") return null;
    const identity: Identity = { id: claims.sub, type: "user", roles: roles(claims), claims };
    const name = names.map((n) => claims[n]).find((v) => typeof v === "string");
    if (name !== undefined) identity.displayName = name as string;
    return identity;
  };
}

const claimAt = (path: string) => (claims: JWTPayload) => stringList(path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], claims));

/**
 * Issuer, JWKS URL, algorithms and claim mapping for common identity providers.
 * @example
 * jwtAuthenticator(presets.auth0({ domain: "tenant.eu.auth0.com", audience: "https://api.example.com" }));
 */
export const presets = Object.freeze({
  /** Auth0: roles from `rolesClaim` (a namespaced custom claim), permissions (RBAC) stay in `claims.permissions`. */
  auth0(o: { domain: string; audience: string | string[]; rolesClaim?: string }): PresetOptions {
    const domain = host("auth0", "domain", o?.domain);
    return {
      issuer: `https://${domain}/`,
      audience: o.audience,
      algorithms: ["RS256"],
      jwksUrl: `https://${domain}/.well-known/jwks.json`,
      mapClaims: mapper(o.rolesClaim ? (c) => stringList(c[o.rolesClaim!]) : claimAt("roles"), ["name", "nickname", "email"]),
    };
  },

  /**
   * Clerk: session tokens carry no `aud`, so the caller lists the allowed origins
   * (`azp`) in `authorizedParties`, or gives `audience` for a JWT template that sets it.
   */
  clerk(o: { frontendApi?: string; issuer?: string; authorizedParties?: string[]; audience?: string | string[] }): PresetOptions {
    if ((o?.frontendApi === undefined) === (o?.issuer === undefined)) fail("clerk", "give exactly one of `frontendApi` or `issuer`.");
    const issuer = o.issuer !== undefined ? httpsUrl("clerk", "issuer", o.issuer) : `https://${host("clerk", "frontendApi", o.frontendApi)}`;
    if (o.authorizedParties === undefined && o.audience === undefined) fail("clerk", "give `authorizedParties` (your app origins) or `audience`.");
    const options: PresetOptions = {
      issuer,
      algorithms: ["RS256"],
      jwksUrl: `${issuer}/.well-known/jwks.json`,
      mapClaims: mapper(claimAt("roles"), ["name", "email"]),
    };
    if (o.authorizedParties !== undefined) options.authorizedParties = o.authorizedParties;
    if (o.audience !== undefined) options.audience = o.audience;
    return options;
  },

  /**
   * Supabase Auth: asymmetric keys from the project JWKS, or the legacy shared
   * `jwtSecret` (HS256). Roles from `app_metadata.roles`, else the `role` claim.
   */
  supabase(o: { projectRef?: string; url?: string; jwtSecret?: string; audience?: string | string[] }): PresetOptions {
    if ((o?.projectRef === undefined) === (o?.url === undefined)) fail("supabase", "give exactly one of `projectRef` or `url`.");
    const base = o.url !== undefined ? httpsUrl("supabase", "url", o.url) : `https://${slug("supabase", "projectRef", o.projectRef, /^[a-z0-9]{10,40}$/)}.supabase.co`;
    const issuer = `${base}/auth/v1`;
    const mapClaims = mapper((c) => {
      const fromMetadata = claimAt("app_metadata.roles")(c);
      return fromMetadata.length > 0 ? fromMetadata : stringList([c.role]);
    }, ["email", "phone"]);
    const shared = { issuer, audience: o.audience ?? "authenticated", mapClaims };
    return o.jwtSecret !== undefined
      ? { ...shared, algorithms: ["HS256"], secret: o.jwtSecret }
      : { ...shared, algorithms: ["ES256", "RS256"], jwksUrl: `${issuer}/.well-known/jwks.json` };
  },

  /** Firebase Authentication ID tokens; roles from a `roles` custom claim. */
  firebase(o: { projectId: string }): PresetOptions {
    const projectId = slug("firebase", "projectId", o?.projectId, /^[a-z][a-z0-9-]{4,29}$/);
    return {
      issuer: `https://securetoken.google.com/${projectId}`,
      audience: projectId,
      algorithms: ["RS256"],
      jwksUrl: "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com",
      mapClaims: mapper(claimAt("roles"), ["name", "email"]),
    };
  },

  /**
   * Amazon Cognito user pool. By default only access tokens (`token_use:
   * "access"`, the app client in `client_id`, no `aud`): the token Cognito
   * issues for calling APIs. ID tokens (`token_use: "id"`, the app client in
   * `aud`) describe the user to the client app; an API that accepts them too
   * says so with `tokenUse: ["access", "id"]` (or `"id"` alone). Roles from
   * `cognito:groups`.
   */
  cognito(o: { region: string; userPoolId: string; clientId: string | string[]; tokenUse?: CognitoTokenUse | CognitoTokenUse[] }): PresetOptions {
    const region = slug("cognito", "region", o?.region, /^[a-z]{2}(-[a-z]+)+-\d+$/);
    const pool = slug("cognito", "userPoolId", o.userPoolId, /^[a-z]{2}(-[a-z]+)+-\d+_[A-Za-z0-9]+$/);
    if (!pool.startsWith(`${region}_`)) fail("cognito", "`userPoolId` must start with the `region`.");
    const clients = Array.isArray(o.clientId) ? [...o.clientId] : [o.clientId];
    if (clients.length === 0 || clients.some((c) => typeof c !== "string" || c === "")) fail("cognito", "`clientId` must be a non-empty string or array of them.");
    const uses = new Set(o.tokenUse === undefined ? ["access"] : Array.isArray(o.tokenUse) ? o.tokenUse : [o.tokenUse]);
    if (uses.size === 0 || [...uses].some((u) => u !== "access" && u !== "id")) fail("cognito", '`tokenUse` must be "access", "id" or both.');
    const issuer = `https://cognito-idp.${region}.amazonaws.com/${pool}`;
    return {
      issuer,
      // The app client sits in a different claim per token kind, so the audience is checked per kind.
      audienceCheck: (claims) => {
        if (claims.token_use === "access" && uses.has("access")) return typeof claims.client_id === "string" && clients.includes(claims.client_id);
        if (claims.token_use === "id" && uses.has("id")) return typeof claims.aud === "string" && clients.includes(claims.aud);
        return false;
      },
      requiredClaims: ["sub", "exp", "token_use"],
      algorithms: ["RS256"],
      jwksUrl: `${issuer}/.well-known/jwks.json`,
      mapClaims: mapper((c) => stringList(c["cognito:groups"]), ["name", "email", "cognito:username", "username"]),
    };
  },

  /** Keycloak realm; roles from `realm_access.roles`. */
  keycloak(o: { baseUrl: string; realm: string; audience: string | string[] }): PresetOptions {
    const base = httpsUrl("keycloak", "baseUrl", o?.baseUrl);
    const realm = slug("keycloak", "realm", o.realm, /^[A-Za-z0-9._-]+$/);
    const issuer = `${base}/realms/${encodeURIComponent(realm)}`;
    return {
      issuer,
      audience: o.audience,
      algorithms: ["RS256"],
      jwksUrl: `${issuer}/protocol/openid-connect/certs`,
      mapClaims: mapper(claimAt("realm_access.roles"), ["name", "preferred_username", "email"]),
    };
  },
});
