import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A freshly generated API key. Show `key` once to its owner; store only `id` and `hash`. */
export interface GeneratedApiKey {
  id: string;
  secret: string;
  /** `<prefix>_<id>_<secret>`: what the client sends as `X-API-Key`. */
  key: string;
  /** `sha256:<hex>` of the secret. */
  hash: string;
}

/** The parts of an API key. */
export interface ParsedApiKey {
  prefix: string;
  id: string;
  secret: string;
}

/** Options shared by the API key helpers. */
export interface ApiKeyFormatOptions {
  /** Lower-case letters and digits, 1–16 chars. @default "gh" */
  prefix?: string;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const PREFIX = /^[a-z][a-z0-9]{0,15}$/;
const PART = /^[A-Za-z0-9]+$/;
const ID_LENGTH = 16;
const SECRET_LENGTH = 32;
const HASH = /^sha256:[0-9a-f]{64}$/;

/** @internal */
export function resolvePrefix(prefix: string | undefined, caller: string): string {
  const value = prefix ?? "gh";
  if (typeof value !== "string" || !PREFIX.test(value)) {
    throw new TypeError(`${caller}: \`prefix\` must be 1-16 lower-case letters or digits, starting with a letter.`);
  }
  return value;
}

/** `length` base62 chars from the CSPRNG, by rejection sampling (no modulo bias). */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/**
 * Generates an API key `<prefix>_<id>_<secret>`: a 16-char base62 id (~95 bits,
 * the lookup key) and a 32-char base62 secret (~190 bits). Only `id` and `hash` are stored.
 * @throws TypeError when `prefix` is not 1-16 lower-case letters or digits.
 * @example
 * const { key, id, hash } = generateApiKey({ prefix: "gh" }); // key: gh_3kTm..._Zq8...
 */
export function generateApiKey(options: ApiKeyFormatOptions = {}): GeneratedApiKey {
  const prefix = resolvePrefix(options.prefix, "generateApiKey");
  const id = randomBase62(ID_LENGTH);
  const secret = randomBase62(SECRET_LENGTH);
  return { id, secret, key: `${prefix}_${id}_${secret}`, hash: hashApiKeySecret(secret) };
}

/**
 * Splits a key into prefix, id and secret, or `null` when it does not have
 * the expected form or prefix. Accepts ids of 8-64 and secrets of 16-128 base62 chars.
 * @example
 * parseApiKey("gh_abc12345_...") // { prefix: "gh", id: "abc12345", secret: "..." }
 */
export function parseApiKey(key: string, options: ApiKeyFormatOptions = {}): ParsedApiKey | null {
  const prefix = resolvePrefix(options.prefix, "parseApiKey");
  if (typeof key !== "string" || key.length > 256) return null;
  const parts = key.split("_");
  if (parts.length !== 3) return null;
  const [p, id, secret] = parts as [string, string, string];
  if (p !== prefix || !PART.test(id) || !PART.test(secret)) return null;
  if (id.length < 8 || id.length > 64 || secret.length < 16 || secret.length > 128) return null;
  return { prefix: p, id, secret };
}

/**
 * `sha256:<hex>` of the secret. A fast hash is right here, unlike for
 * passwords: the secret is ~190 random bits, so brute-forcing a leaked hash
 * is infeasible whatever its cost, and scrypt would only make every request slow.
 */
export function hashApiKeySecret(secret: string): string {
  return `sha256:${createHash("sha256").update(String(secret), "utf8").digest("hex")}`;
}

/**
 * Compares `secret` against a stored `sha256:` hash in constant time
 * (`timingSafeEqual` on equal-length buffers). A malformed stored hash is `false`.
 */
export function verifyApiKeySecret(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKeySecret(secret), "utf8");
  const valid = typeof storedHash === "string" && HASH.test(storedHash);
  // Compare against the actual value itself when the stored hash is malformed: the same work either way.
  const expected = valid ? Buffer.from(storedHash, "utf8") : actual;
  return timingSafeEqual(actual, expected) && valid;
}
