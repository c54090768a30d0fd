import { constants, createHmac, timingSafeEqual, verify, type KeyObject } from "node:crypto";

/** How one JWS algorithm verifies (RFC 7518 §3, RFC 8037), and which key it needs. */
interface Scheme {
  kind: "hmac" | "rsa" | "pss" | "ecdsa" | "eddsa";
  /** Digest for node:crypto; `null` for EdDSA (the curve fixes it). */
  hash: string | null;
  /** The key a token of this algorithm must be checked with: `secret`, `rsa`, `ec:<curve>` or `ed25519`. */
  key: string;
  /** Exact signature length in bytes, where the algorithm fixes it. */
  length?: number;
}

const SCHEMES: ReadonlyMap<string, Scheme> = new Map<string, Scheme>([
  ["HS256", { kind: "hmac", hash: "sha256", key: "secret", length: 32 }],
  ["HS384", { kind: "hmac", hash: "sha384", key: "secret", length: 48 }],
  ["HS512", { kind: "hmac", hash: "sha512", key: "secret", length: 64 }],
  ["RS256", { kind: "rsa", hash: "sha256", key: "rsa" }],
  ["RS384", { kind: "rsa", hash: "sha384", key: "rsa" }],
  ["RS512", { kind: "rsa", hash: "sha512", key: "rsa" }],
  ["PS256", { kind: "pss", hash: "sha256", key: "rsa" }],
  ["PS384", { kind: "pss", hash: "sha384", key: "rsa" }],
  ["PS512", { kind: "pss", hash: "sha512", key: "rsa" }],
  ["ES256", { kind: "ecdsa", hash: "sha256", key: "ec:prime256v1", length: 64 }],
  ["ES384", { kind: "ecdsa", hash: "sha384", key: "ec:secp384r1", length: 96 }],
  ["ES512", { kind: "ecdsa", hash: "sha512", key: "ec:secp521r1", length: 132 }],
  ["EdDSA", { kind: "eddsa", hash: null, key: "ed25519", length: 64 }],
  ["Ed25519", { kind: "eddsa", hash: null, key: "ed25519", length: 64 }],
]);

/** RSA keys shorter than this are refused (RFC 7518 §3.3). */
const MIN_RSA_BITS = 2048;
const keyKinds = new WeakMap<KeyObject, string>();

/** What a key can verify: `secret`, `rsa`, `ec:<curve>`, `ed25519`, or `unusable`; computed once per key. */
function kindOf(key: KeyObject): string {
  let kind = keyKinds.get(key);
  if (kind === undefined) {
    kind = "unusable";
    if (key.type === "secret") kind = "secret";
    else if (key.type === "public") {
      const details = key.asymmetricKeyDetails ?? {};
      if (key.asymmetricKeyType === "rsa") kind = (details.modulusLength ?? 0) >= MIN_RSA_BITS ? "rsa" : "unusable";
      else if (key.asymmetricKeyType === "ec") kind = `ec:${details.namedCurve ?? "unknown"}`;
      else if (key.asymmetricKeyType === "ed25519") kind = "ed25519";
    }
    keyKinds.set(key, kind);
  }
  return kind;
}

/** Whether `alg` is one this verifier implements. @internal */
export const isSupportedAlgorithm = (alg: string): boolean => SCHEMES.has(alg);

/**
 * Verifies a JWS signature with node:crypto. The key must be of the kind the
 * pinned algorithm needs (an RSA or EC public key never checks an HMAC, a
 * P-384 key never an ES256 signature), whatever the token claims; any
 * mismatch or crypto error is `false`.
 * @internal
 */
export function verifySignature(alg: string, key: KeyObject, signingInput: string, signature: Buffer): boolean {
  const scheme = SCHEMES.get(alg);
  if (!scheme || kindOf(key) !== scheme.key) return false;
  if (scheme.length !== undefined && signature.length !== scheme.length) return false;
  try {
    switch (scheme.kind) {
      case "hmac": {
        const expected = createHmac(scheme.hash!, key).update(signingInput, "latin1").digest();
        return timingSafeEqual(expected, signature);
      }
      case "rsa":
        return verify(scheme.hash, Buffer.from(signingInput, "latin1"), key, signature);
      case "pss":
        return verify(
          scheme.hash,
          Buffer.from(signingInput, "latin1"),
          // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
          signature,
        );
      case "ecdsa":
        // JWS carries R || S (IEEE P1363), not DER.
        return verify(scheme.hash, Buffer.from(signingInput, "latin1"), { key, dsaEncoding: "ieee-p1363" }, signature);
      case "eddsa":
        return verify(null, Buffer.from(signingInput, "latin1"), key, signature);
    }
  } catch {
    return false;
  }
}
