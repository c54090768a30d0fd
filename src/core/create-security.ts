import { InvalidCredentialsError, isGatehouseError } from "./errors.js";
import { frozenCopy } from "./permission-match.js";
import { createSecurityContext, type SecurityContext } from "./security-context.js";
import type { Authenticator, Authorizer, Credentials, Identity, Permission } from "./types.js";

/** Options for {@link createSecurity}. */
export interface SecurityOptions {
  /**
   * Tried in order; the first non-null identity wins. When a token or API key
   * is present and every authenticator returns `null` ("not mine"), the
   * request is refused with `INVALID_CREDENTIALS`. @default []
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

  async function identify(credentials: Credentials): Promise<Identity | null> {
    for (const authenticate of authenticators) {
      let identity: Identity | null;
      try {
        identity = await authenticate(credentials);
      } catch (error) {
        if (isGatehouseError(error)) throw error;
        // Fail closed: an authenticator that breaks never lets the request through as anonymous.
        throw new InvalidCredentialsError("Credentials could not be verified.", { cause: error });
      }
      if (identity !== null && identity !== undefined) {
        if (typeof identity !== "object" || typeof identity.id !== "string" || identity.id === "") {
          throw new InvalidCredentialsError("Credentials could not be verified.", {
            cause: new TypeError("An authenticator returned an identity without a string id."),
          });
        }
        return identity;
      }
    }
    // A token or API key that every authenticator passed on (another issuer, a scheme
    // nobody here verifies) is a credential nobody vouches for: refused, never anonymous.
    if (credentials?.token != null || credentials?.apiKey != null) throw new InvalidCredentialsError("Credentials not accepted.");
    return null;
  }

  async function permissionsOf(identity: Identity | null): Promise<readonly Permission[]> {
    const all: Permission[] = identity === null ? [...anonymous] : [];
    for (const authorize of authorizers) {
      const granted = await authorize(identity);
      if (granted) {
        for (const p of granted) {
          if (!p || typeof p.name !== "string") throw new TypeError("An authorizer returned a permission without a string name.");
          all.push(p);
        }
      }
    }
    return all;
  }

  /** Without authorizers there is nothing to load, so the context is made at once. */
  const unauthorizedContext = (identity: Identity | null): SecurityContext =>
    createSecurityContext({ identity, permissions: identity === null ? anonymous : [] });

  async function contextFor(identity: Identity | null): Promise<SecurityContext> {
    if (authorizers.length === 0) return unauthorizedContext(identity);
    return createSecurityContext({ identity, permissions: await permissionsOf(identity) });
  }

  // A `then` callback that returns a promise costs the request extra microtask turns; a context made at once does not.
  const afterIdentify = authorizers.length === 0 ? unauthorizedContext : contextFor;
  return Object.freeze({
    authenticate(credentials: Credentials = {}) {
      return identify(credentials).then(afterIdentify);
    },
    contextFor,
  });
}
