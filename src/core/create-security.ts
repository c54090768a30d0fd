import { InvalidCredentialsError, isGatehouseError } from "./errors.js";
import { frozenCopy, isFrozenPlain } from "./permission-match.js";
import { createSecurityContext, type SecurityContext } from "./security-context.js";
import { isPromiseLike, syncAuthenticatorOf, syncAuthorizerOf, type PromiseOrValue, type SyncAuthenticator, type SyncAuthorizer } from "./sync-path.js";
import type { Authenticator, Authorizer, Credentials, Identity, Permission } from "./types.js";

/** Options for {@link createSecurity}. */
export interface SecurityOptions {
  /**
   * Tried in order; the first non-null identity wins. When a token or API key
   * is present, or `getCredentials` listed a malformed one, and every
   * authenticator returns `null` ("not mine"), the request is refused with
   * `INVALID_CREDENTIALS`. @default []
   */
  authenticators?: readonly Authenticator[];
  /** All run (in order) and their permission lists are concatenated. @default [] */
  authorizers?: readonly Authorizer[];
  /** Permissions of anonymous requests (no credentials). @default [] */
  anonymousPermissions?: readonly Permission[];
}

/** The configured pipeline. */
export interface Security {
  /**
   * Authenticates one request and loads its permissions.
   * @throws InvalidCredentialsError (`INVALID_CREDENTIALS`) when a credential is present but invalid,
   *   present but claimed by no authenticator, or an authenticator fails unexpectedly: never a
   *   silent fall-back to anonymous.
   */
  authenticate(credentials?: Credentials): Promise<SecurityContext>;
  /** Builds a context for a known identity (background jobs, tests), running the authorizers. */
  contextFor(identity: Identity | null): Promise<SecurityContext>;
}

/**
 * Creates the authenticate → authorize pipeline.
 * @example
 * const security = createSecurity({ authenticators: [jwt], authorizers: [storeAuthorizer(store)] });
 * const ctx = await security.authenticate({ token });
 */
export function createSecurity(options: SecurityOptions = {}): Security {
  const authenticators = Object.freeze([...(options.authenticators ?? [])]);
  const authorizers = Object.freeze([...(options.authorizers ?? [])]);
  // A frozen deep copy, made once: every anonymous context shares it instead of copying it.
  const anonymous: readonly Permission[] = frozenCopy([...(options.anonymousPermissions ?? [])]);
  for (const [i, fn] of [...authenticators, ...authorizers].entries()) {
    if (typeof fn !== "function") throw new TypeError(`createSecurity: authenticators/authorizers[${i}] must be a function.`);
  }

  // Each authenticator's synchronous twin when it has one; a user's own function is called as it is.
  const steps: readonly SyncAuthenticator[] = authenticators.map((fn) => syncAuthenticatorOf(fn) ?? fn);

  /**
   * The first non-null identity, as a value while every authenticator answers at once; from the first
   * one that returns a promise on, the rest continue in its `then`.
   */
  function identify(credentials: Credentials, from = 0): PromiseOrValue<Identity | null> {
    for (let i = from; i < steps.length; i++) {
      let result: PromiseOrValue<Identity | null>;
      try {
        result = steps[i]!(credentials);
      } catch (error) {
        throw verificationFailure(error);
      }
      if (isPromiseLike(result)) {
        return Promise.resolve(result).then(
          (identity) => accepted(identity) ?? identify(credentials, i + 1),
          (error: unknown) => {
            throw verificationFailure(error);
          },
        );
      }
      const identity = accepted(result);
      if (identity) return identity;
    }
    // A token or API key that every authenticator passed on (another issuer, a scheme
    // nobody here verifies) is a credential nobody vouches for: refused, never anonymous.
    if (credentials?.token != null || credentials?.apiKey != null) throw new InvalidCredentialsError("Credentials not accepted.");
    // So is one that was present but unusable (`getCredentials` lists it), whichever authenticators run.
    const malformed = (credentials as { malformed?: unknown } | null | undefined)?.malformed;
    if (Array.isArray(malformed) && malformed.length > 0) throw new InvalidCredentialsError("Malformed credentials.");
    return null;
  }

  // Each authorizer's synchronous twin when it has one (a cache hit answers at once); a user's own function as it is.
  const grants: readonly SyncAuthorizer[] = authorizers.map((fn) => syncAuthorizerOf(fn) ?? fn);

  /**
   * The authorizers' permissions in order, concatenated: a value while each answers at once; from
   * the first that returns a promise on, the rest continue in its `then`. An authorizer's error
   * (thrown or rejected) fails the request.
   */
  function permissionsOf(identity: Identity | null, from = 0, all: Permission[] = identity === null ? [...anonymous] : []): PromiseOrValue<readonly Permission[]> {
    for (let i = from; i < grants.length; i++) {
      const granted = grants[i]!(identity);
      if (isPromiseLike(granted)) {
        return Promise.resolve(granted).then((list) => permissionsOf(identity, i + 1, collect(all, list)));
      }
      // The only list, shared and frozen all the way down: the context takes it as it is (checked once), no copy.
      if (grants.length === 1 && all.length === 0 && granted !== null && isFrozenPlain(granted)) return checkedOnce(granted);
      collect(all, granted);
    }
    return all;
  }

  /** Without authorizers there is nothing to load, so the context is made at once. */
  const unauthorizedContext = (identity: Identity | null): SecurityContext =>
    createSecurityContext({ identity, permissions: identity === null ? anonymous : [] });

  const authorizedContext = (identity: Identity | null): PromiseOrValue<SecurityContext> => {
    const permissions = permissionsOf(identity);
    return isPromiseLike(permissions)
      ? permissions.then((loaded) => createSecurityContext({ identity, permissions: loaded }))
      : createSecurityContext({ identity, permissions });
  };

  // A `then` callback that returns a promise costs the request extra microtask turns; a context made at once does not.
  const afterIdentify = authorizers.length === 0 ? unauthorizedContext : authorizedContext;

  // Not on a request's path, so an async function's extra turn costs nothing; it turns a synchronous throw into a rejection.
  const contextFor = async (identity: Identity | null): Promise<SecurityContext> => afterIdentify(identity);

  const authenticateNow: AuthenticateNow = (credentials: Credentials = {}) => {
    const identity = identify(credentials);
    return isPromiseLike(identity) ? identity.then(afterIdentify) : afterIdentify(identity);
  };
  const security: Security = Object.freeze({
    authenticate(credentials: Credentials = {}) {
      try {
        return Promise.resolve(authenticateNow(credentials));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    contextFor,
  });
  syncPaths.set(security, authenticateNow);
  return security;
}

/** Shared frozen lists that passed {@link collect}'s check: frozen, so they pass it for good. */
const checkedLists = new WeakSet<readonly Permission[]>();

function checkedOnce(granted: readonly Permission[]): readonly Permission[] {
  if (!checkedLists.has(granted)) {
    collect([], granted);
    checkedLists.add(granted);
  }
  return granted;
}

/** Appends an authorizer's grant to `all`, refusing a permission without a name. */
function collect(all: Permission[], granted: readonly Permission[] | null | undefined): Permission[] {
  if (granted) {
    for (const p of granted) {
      if (!p || typeof p.name !== "string") throw new TypeError("An authorizer returned a permission without a string name.");
      all.push(p);
    }
  }
  return all;
}

/** `null` and `undefined` mean "not mine"; anything else must be an identity with an id, or the request fails. */
function accepted(identity: Identity | null | undefined): Identity | null {
  if (identity === null || identity === undefined) return null;
  if (typeof identity !== "object" || typeof identity.id !== "string" || identity.id === "") {
    throw new InvalidCredentialsError("Credentials could not be verified.", {
      cause: new TypeError("An authenticator returned an identity without a string id."),
    });
  }
  return identity;
}

/** Fail closed: an authenticator that breaks never lets the request through as anonymous. */
function verificationFailure(error: unknown): unknown {
  if (isGatehouseError(error)) return error;
  return new InvalidCredentialsError("Credentials could not be verified.", { cause: error });
}

/** `Security.authenticate` without the promise when nothing had to wait. @internal */
export type AuthenticateNow = (credentials?: Credentials) => PromiseOrValue<SecurityContext>;

const syncPaths = new WeakMap<Security, AuthenticateNow>();

/**
 * The synchronous path of a Security object: the context as a value when every authenticator
 * answered at once and no authorizer runs, else a promise. It throws synchronously exactly the
 * errors `authenticate` would reject with. For a Security object made elsewhere it is
 * `authenticate` itself.
 * @internal
 */
export function authenticateNowOf(security: Security): AuthenticateNow {
  return syncPaths.get(security) ?? ((credentials) => security.authenticate(credentials));
}
