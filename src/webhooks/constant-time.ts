/**
 * Constant-time comparison of signatures.
 * @internal
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Compares two equal-length buffers; `timingSafeEqual` unless a test injects a spy. @internal */
export type BufferCompare = (a: Uint8Array, b: Uint8Array) => boolean;

// A per-process random key: digests of attacker input are unpredictable, so
// comparing them leaks nothing about the expected value.
const COMPARE_KEY = randomBytes(32);

function digest(value: Uint8Array): Buffer {
  return createHmac("sha256", COMPARE_KEY).update(value).digest();
}

/**
 * True when `a` and `b` hold the same bytes, in time independent of where
 * they differ and of whether their lengths differ: both sides are reduced to
 * fixed-length HMAC digests first, so `timingSafeEqual` always gets
 * equal-length buffers and there is no early return on length or content.
 * @internal
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array, compare: BufferCompare = timingSafeEqual): boolean {
  return compare(digest(a), digest(b));
}

/**
 * Which secret's expected signature matches any candidate signature: every
 * (secret, candidate) pair is compared, with no early exit, so timing does not
 * reveal which secret matched or how many candidates were tried.
 * @returns the index of the first matching secret, or -1
 * @internal
 */
export function matchSecret(
  expectedPerSecret: readonly Uint8Array[],
  candidates: readonly Uint8Array[],
  compare: BufferCompare = timingSafeEqual,
): number {
  let matched = -1;
  for (let i = 0; i < expectedPerSecret.length; i++) {
    let hit = false;
    for (const candidate of candidates) {
      // Compare first, combine after: the comparison runs even after a hit.
      const equal = constantTimeEqual(expectedPerSecret[i]!, candidate, compare);
      hit = equal || hit;
    }
    if (hit && matched === -1) matched = i;
  }
  return matched;
}
