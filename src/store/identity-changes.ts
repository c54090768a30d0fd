import type { Identity } from "../core/index.js";
import type { Store, StoreChange } from "./types.js";

/**
 * Whether a store change may alter what `identity` may do or whether its credential still holds:
 * its own assignments or session revocation, any role or group (they may be its own), and, for an
 * API-key identity, its key. `"*"` (a reconnect gap) always counts.
 */
export function affectsIdentity(change: StoreChange, identity: Identity): boolean {
  if (change.id === "*") return true;
  switch (change.kind) {
    case "role":
    case "group":
      return true;
    case "assignment":
    case "session":
    case "user":
      return change.id === identity.id;
    case "apiKey":
      return identity.type === "apiKey" && change.id === identity.keyId;
    default:
      return true; // an unknown kind: assume the worst
  }
}

/**
 * Calls `listener` whenever a store change may alter `identity`'s access, on any node (see
 * {@link affectsIdentity}). Made for long-lived work such as subscriptions, which rebuild their
 * security context when told. An anonymous identity (`null`) has nothing in the store: never called.
 * A throwing listener is ignored.
 * @returns a function that stops listening.
 * @example
 * createAuthz({ ..., subscriptions: {
 *   watch: (ctx, changed) => watchIdentity(store, ctx.security.identity, changed),
 *   refresh: async (ctx) => ({ ...ctx, security: await authenticateRequest(security, ctx.request) }),
 * } });
 */
export function watchIdentity(store: Store, identity: Identity | null, listener: () => void): () => void {
  if (!store || typeof store.onChange !== "function") throw new TypeError("watchIdentity: the first argument must be a Store from createStore().");
  if (typeof listener !== "function") throw new TypeError("watchIdentity: listener must be a function.");
  if (identity === null) return () => undefined;
  return store.onChange((change) => {
    if (affectsIdentity(change, identity)) listener();
  });
}
