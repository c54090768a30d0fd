import type { Identity } from "../core/index.js";
import { Lru } from "../core/lru.js";
import { frozenCopy, frozenInPlace } from "../core/permission-match.js";
import { expiredAt, notYetValidAt } from "./claims.js";

/** Options of the verified-token cache of `jwtAuthenticator`. */
export interface TokenCacheOptions {
  /** Most tokens remembered (least recently used evicted first). @default 1000 */
  maxEntries?: number;
  /**
   * Longest a verification is reused, ms. Bounds how long a token keeps
   * working after its signing key is withdrawn from the JWKS. @default 30000
   */
  maxAgeMs?: number;
}

interface Entry {
  identity: Identity;
  /** `exp` / `nbf` claims, seconds since the epoch. */
  exp: number | undefined;
  nbf: number | undefined;
  /** Date.now() after which the entry is not reused. */
  until: number;
}

/**
 * Remembers verified tokens so a client's repeated requests skip the
 * signature check: one map lookup instead of an ECDSA/RSA verification.
 * Keyed by the exact token string (any change to it is a miss); `exp` and
 * `nbf` are re-checked on every hit against the caller's clock.
 * @internal
 */
export class TokenCache {
  readonly #entries: Lru<string, Entry>;
  readonly #maxAgeMs: number;

  constructor(options: TokenCacheOptions) {
    const maxEntries = options.maxEntries ?? 1000;
    const maxAgeMs = options.maxAgeMs ?? 30_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError("jwtAuthenticator: `tokenCache.maxEntries` must be a positive integer.");
    if (!(typeof maxAgeMs === "number" && maxAgeMs > 0 && maxAgeMs <= 3_600_000)) {
      throw new TypeError("jwtAuthenticator: `tokenCache.maxAgeMs` must be between 1 and 3600000 ms.");
    }
    this.#entries = new Lru(maxEntries);
    this.#maxAgeMs = maxAgeMs;
  }

  /** The identity of a still-valid cached token, or undefined (verify it in full). */
  get(token: string, nowMs: number, toleranceSec: number): Identity | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    // The same comparisons as `checkClaims`, on the same whole second: a hit never outlives a full check.
    const nowSec = Math.floor(nowMs / 1000);
    const stale = Date.now() > entry.until || expiredAt(entry.exp, nowSec, toleranceSec) || notYetValidAt(entry.nbf, nowSec, toleranceSec);
    if (!stale) return entry.identity;
    this.#entries.delete(token);
    return undefined;
  }

  /**
   * Remembers a verified token; returns the identity as stored, frozen all the way down, which
   * contexts then share without copying. `owned`: nobody else holds any part of `identity`, so it
   * is frozen where it stands rather than copied.
   */
  set(token: string, identity: Identity, claims: { exp?: unknown; nbf?: unknown }, owned = false): Identity {
    // Cached identities are shared by requests, so none of them may alter one.
    const stored = owned ? frozenInPlace(identity) : frozenCopy(identity);
    this.#entries.set(token, {
      identity: stored,
      exp: typeof claims.exp === "number" ? claims.exp : undefined,
      nbf: typeof claims.nbf === "number" ? claims.nbf : undefined,
      until: Date.now() + this.#maxAgeMs,
    });
    return stored;
  }
}
