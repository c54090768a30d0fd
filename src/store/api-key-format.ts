import { createHash, randomBytes } from "node:crypto";

/**
 * Key material in the `gatehouse/http` format: key = `<prefix>_<id>_<secret>`,
 * hash = `sha256:<hex of the full key>`. Only the hash is stored.
 * Stand-in with the same signature as `generateApiKey` in `gatehouse/http`, used until that lands.
 * @internal
 */
export function generateApiKey(options: { prefix?: string } = {}): { id: string; secret: string; key: string; hash: string } {
  const prefix = options.prefix ?? "gh";
  // Hex only: no "_" inside id or secret, so the key splits unambiguously.
  const id = randomBytes(12).toString("hex");
  const secret = randomBytes(32).toString("hex");
  const key = `${prefix}_${id}_${secret}`;
  return { id, secret, key, hash: `sha256:${createHash("sha256").update(key).digest("hex")}` };
}
