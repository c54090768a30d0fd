import { filterPermissions, frozenCopy } from "./permission-match.js";
import { isUnauthorized, runUnauthorized } from "./scope.js";
import type { Identity, Permission } from "./types.js";

/**
 * One request's view of who is calling and what they may do.
 * Permissions are loaded once (by `security.authenticate`) and every read is
 * synchronous. A context belongs to one request; make a new one for the next.
 */
export interface SecurityContext {
  /** The caller, or `null` for an anonymous request. */
  readonly identity: Identity | null;
  /** `identity !== null`. */
  readonly isAuthenticated: boolean;
  /** A random id for correlating log lines of this request. */
  readonly requestId: string;
  /** True inside `withoutAuthorization(fn)` for this context. */
  readonly isAuthorizationDisabled: boolean;
  /**
   * All permissions, or those matching `name`: exact, `"prefix.*"` or `"*"`
   * on either the held or the requested side.
   */
  getPermissions(name?: string): Permission[];
  /** First permission matching `name` (exact match preferred), or `null`. */
  getPermission(name: string): Permission | null;
  /** Holds `{ name: "*" }`, or runs inside `withoutAuthorization`. */
  hasFullAccess(): boolean;
  /**
   * Runs `fn` with every check on this context allowing (system tasks such as
   * seeding or migrations). Scoped to `fn` only: it ends when `fn` returns,
   * throws or its promise settles, so timers or promises `fn` started without
   * waiting for run with checks back on; concurrent requests are unaffected.
   */
  withoutAuthorization<R>(fn: () => R): R;
}

/** Options for {@link createSecurityContext}. */
export interface SecurityContextInit {
  identity: Identity | null;
  permissions: readonly Permission[];
  /** @default a random UUID */
  requestId?: string;
}

/**
 * Builds a context from an identity and its already-loaded permissions.
 * `createSecurity().authenticate()` is the usual way; use this directly in
 * tests, background jobs or a browser that received its permissions from the API.
 * @example
 * const ctx = createSecurityContext({ identity: { id: "joe" }, permissions: [{ name: "recipes.*" }] });
 * ctx.getPermission("recipes.recipe"); // { name: "recipes.*" }
 */
export function createSecurityContext(init: SecurityContextInit): SecurityContext {
  return new Context(init);
}

const NO_PERMISSIONS: readonly Permission[] = frozenCopy([]);

/**
 * Accessors live on the class, not in each object (an accessor in an object
 * literal makes every context a slow dictionary-mode object); the methods stay
 * own closures so that `const { hasFullAccess } = ctx` keeps working.
 */
class Context implements SecurityContext {
  readonly identity: Identity | null;
  readonly isAuthenticated: boolean;
  readonly getPermissions: SecurityContext["getPermissions"];
  readonly getPermission: SecurityContext["getPermission"];
  readonly hasFullAccess: SecurityContext["hasFullAccess"];
  readonly withoutAuthorization: SecurityContext["withoutAuthorization"];
  #requestId: string | undefined;

  constructor(init: SecurityContextInit) {
    const identity = init.identity ? frozenCopy(init.identity) : null;
    const permissions: readonly Permission[] = init.permissions.length === 0 ? NO_PERMISSIONS : frozenCopy(init.permissions);
    const fullAccess = permissions.some((p) => p.name === "*");
    this.identity = identity;
    this.isAuthenticated = identity !== null;
    this.#requestId = init.requestId;
    this.getPermissions = (name) => (name === undefined ? [...permissions] : filterPermissions(permissions, name));
    this.getPermission = (name) => permissions.find((p) => p.name === name) ?? filterPermissions(permissions, name)[0] ?? null;
    this.hasFullAccess = () => fullAccess || isUnauthorized(this);
    this.withoutAuthorization = (fn) => runUnauthorized(this, fn);
    Object.freeze(this);
  }

  get requestId(): string {
    // Drawn on first read: most requests never log it.
    return (this.#requestId ??= globalThis.crypto.randomUUID());
  }

  get isAuthorizationDisabled(): boolean {
    return isUnauthorized(this);
  }
}
