import type { Authorizer, Identity, Permission } from "../core/index.js";
import { frozenCopy, isFrozenPlain } from "../core/permission-match.js";
import { withSyncAuthorizer } from "../core/sync-path.js";

/** Options for {@link claimsAuthorizer}. */
export interface ClaimsAuthorizerOptions {
  /**
   * Claim (in `identity.claims`) holding permissions: an array of names
   * (`["recipes.read"]`), of permission objects (`[{ name, ...props }]`), or a
   * space-separated string (OAuth `scope`).
   * @default "permissions"
   */
  claim?: string;
  /** Permissions granted per role in `identity.roles` (as mapped from the token). @default {} */
  rolePermissions?: Record<string, Permission[]>;
}

/**
 * Grants the permissions a verified token carries, plus those mapped from its roles.
 * Anonymous and identities without claims get nothing (`null`).
 * @example
 * createSecurity({ authenticators: [jwt], authorizers: [claimsAuthorizer({ rolePermissions: { admin: [{ name: "*" }] } })] });
 */
export function claimsAuthorizer(options: ClaimsAuthorizerOptions = {}): Authorizer {
  const claim = options.claim ?? "permissions";
  if (typeof claim !== "string" || claim === "") throw new TypeError("claimsAuthorizer: `claim` must be a non-empty string.");
  // Frozen once: a request's context may share them; the public function hands out copies.
  const rolePermissions = new Map<string, readonly Permission[]>();
  for (const [role, permissions] of Object.entries(options.rolePermissions ?? {})) {
    if (!Array.isArray(permissions) || permissions.some((p) => !p || typeof p.name !== "string" || p.name === "")) {
      throw new TypeError(`claimsAuthorizer: \`rolePermissions.${role}\` must be an array of { name: string } permissions.`);
    }
    rolePermissions.set(role, frozenCopy(permissions));
  }

  /** What the token and its roles grant; `share`: role permissions as the shared frozen ones, else copies. */
  const grant = (identity: Identity | null, share: boolean): Permission[] | null => {
    if (!identity) return null;
    const granted: Permission[] = [];
    const claims = identity.claims;
    if (claims && typeof claims === "object") granted.push(...permissionsFrom((claims as Record<string, unknown>)[claim]));
    const roles = Array.isArray(identity.roles) ? identity.roles : [];
    // A Map, not the options object, so a role named "__proto__" grants nothing by accident.
    for (const role of roles) {
      const permissions = rolePermissions.get(role);
      if (permissions) granted.push(...(share ? permissions : structuredClone(permissions)));
    }
    return granted.length > 0 ? granted : null;
  };
  // A verified token's identity from the token cache is frozen all the way down and comes back on every
  // request of that token: what it grants cannot change, so it is worked out and frozen once.
  const granted = new WeakMap<Identity, readonly Permission[] | null>();
  const shared = (identity: Identity | null): readonly Permission[] | null => {
    if (!identity || !isFrozenPlain(identity)) return grant(identity, true);
    let permissions = granted.get(identity);
    if (permissions === undefined) {
      permissions = frozenCopy(grant(identity, true));
      granted.set(identity, permissions);
    }
    return permissions;
  };
  // Synchronous for createSecurity: nothing here waits, so a request need not either.
  return withSyncAuthorizer(async (identity) => grant(identity, false), shared);
}

/** Token-supplied values are untrusted shape-wise: keep only well-formed entries. */
function permissionsFrom(value: unknown): Permission[] {
  if (typeof value === "string") return value.split(/\s+/).filter(Boolean).map((name) => ({ name }));
  if (!Array.isArray(value)) return [];
  const out: Permission[] = [];
  for (const entry of value) {
    if (typeof entry === "string" && entry !== "") out.push({ name: entry });
    else if (entry && typeof entry === "object" && typeof (entry as Permission).name === "string" && (entry as Permission).name !== "") {
      out.push({ ...(entry as Permission) });
    }
  }
  return out;
}
