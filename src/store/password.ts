import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { ScryptParams } from "./types.js";

/** OWASP-style scrypt defaults; 32 MiB of memory per hash. */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 32768, r: 8, p: 1, keylen: 64 });

/** A stored password hash with the parameters that made it. @internal */
export interface PasswordHash extends ScryptParams {
  hash: string;
  salt: string;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem must cover 128 * N * r bytes, or Node refuses raised parameters.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, params.keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Resolves and checks scrypt parameters once, at store creation.
 * @throws TypeError saying which parameter is out of range.
 * @internal
 */
export function resolveScrypt(input: Partial<ScryptParams> | undefined): ScryptParams {
  const params = { ...DEFAULT_SCRYPT, ...input };
  const { N, r, p, keylen } = params;
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 20) {
    throw new TypeError("createStore: scrypt.N must be a power of two between 2 and 2^20.");
  }
  for (const [k, v] of [["r", r], ["p", p]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 64) throw new TypeError(`createStore: scrypt.${k} must be an integer from 1 to 64.`);
  }
  if (!Number.isInteger(keylen) || keylen < 16 || keylen > 256) throw new TypeError("createStore: scrypt.keylen must be 16 to 256 bytes.");
  return Object.freeze(params);
}

/** Hashes a new password with a fresh 16-byte salt. @internal */
export async function hashPassword(password: string, params: ScryptParams): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return { ...params, hash: key.toString("base64"), salt: salt.toString("base64") };
}

/** Constant-time check of `password` against a stored hash, using the row's own parameters. @internal */
export async function checkPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, "base64");
  const actual = await derive(password, Buffer.from(stored.salt, "base64"), stored);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Burns the same work as a real check, so unknown usernames cannot be told apart by timing. @internal */
export async function dummyCheck(password: string, params: ScryptParams): Promise<void> {
  await derive(password, Buffer.alloc(16), params);
}
