/** Who is making the request. `null` elsewhere means anonymous. */
export interface Identity {
  /** Stable id; ownership (`createdBy.id`) is compared against it. */
  id: string;
  /** e.g. `"user"`, `"apiKey"`, `"service"`. */
  type?: string;
  displayName?: string;
  roles?: string[];
  [key: string]: unknown;
}

/** A permission: a name plus business properties, e.g. `{ name: "recipes.recipe", own: true, rwd: "rw" }`. */
export interface Permission {
  name: string;
  [prop: string]: unknown;
}

/** What a request presented. Authenticators pick what they understand. */
export interface Credentials {
  /** A bearer token (JWT or opaque). */
  token?: string;
  /** An API key (`X-API-Key`). */
  apiKey?: string;
  /** Request headers, lower-cased names. */
  headers?: Record<string, string | undefined>;
}

/**
 * Turns credentials into an identity.
 * Return `null` for "not mine" (the next authenticator is tried); throw
 * `InvalidCredentialsError` for "mine, but bad" (the request is rejected).
 */
export type Authenticator = (credentials: Credentials) => Promise<Identity | null>;

/** Loads the permissions of an identity (`null` = anonymous). `null` result = nothing to add. */
export type Authorizer = (identity: Identity | null) => Promise<Permission[] | null>;
