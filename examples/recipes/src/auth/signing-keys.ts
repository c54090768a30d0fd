import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from "jose";
import type { Db } from "gatehouse/store";

/** The only algorithm the example signs and accepts: asymmetric, so the JWKS can be public. */
export const SIGNING_ALG = "ES256";
/** `iss` and `aud` of every token; fixed (not the URL) so several instances share sessions. */
export const TOKEN_ISSUER = "urn:gatehouse:recipes";
export const TOKEN_AUDIENCE = "recipes-api";
/** Short-lived tokens: 15 minutes. */
export const TOKEN_TTL_SEC = 15 * 60;

/** Claims the app puts into a token besides the registered ones. */
export interface TokenSubject {
  id: string;
  username: string;
  displayName: string;
}

/** The app's signing key: signs tokens and publishes the public half. */
export interface SigningKeys {
  /** `{ keys: [...] }` with public keys only. */
  readonly jwks: { keys: JWK[] };
  sign(subject: TokenSubject): Promise<string>;
}

interface KeyRow {
  kid: string;
  private_jwk: unknown;
  public_jwk: unknown;
}

/**
 * Loads the signing key from the database, generating it on first start, so
 * restarts keep sessions valid. Two processes starting together converge on
 * one key: the insert is `ON CONFLICT DO NOTHING` and both read the winner.
 */
export async function loadSigningKeys(db: Db, now: () => Date = () => new Date()): Promise<SigningKeys> {
  let row = await readKey(db);
  if (!row) {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const kid = randomUUID();
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG };
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
    await db.query(
      `INSERT INTO recipes_signing_keys (slot, kid, alg, private_jwk, public_jwk, created_at)
       VALUES ('primary', $1, $2, $3::jsonb, $4::jsonb, $5) ON CONFLICT (slot) DO NOTHING`,
      [kid, SIGNING_ALG, JSON.stringify(privateJwk), JSON.stringify(publicJwk), now()],
    );
    row = await readKey(db);
    if (!row) throw new Error("Signing key could not be stored.");
  }
  const kid = row.kid;
  const privateKey = (await importJWK(asJwk(row.private_jwk), SIGNING_ALG)) as CryptoKey;
  const publicJwk = asJwk(row.public_jwk);
  // Only public members go out, whatever the row holds.
  const { kty, crv, x, y } = publicJwk;
  const jwks = Object.freeze({ keys: [Object.freeze({ kty, crv, x, y, kid, alg: SIGNING_ALG, use: "sig" })] });

  return {
    jwks,
    sign(subject) {
      return new SignJWT({ username: subject.username, name: subject.displayName })
        .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: "JWT" })
        .setSubject(subject.id)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_TTL_SEC}s`)
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}

async function readKey(db: Db): Promise<KeyRow | null> {
  const { rows } = await db.query<KeyRow>("SELECT kid, private_jwk, public_jwk FROM recipes_signing_keys WHERE slot = 'primary'");
  return rows[0] ?? null;
}

function asJwk(value: unknown): JWK {
  return (typeof value === "string" ? JSON.parse(value) : value) as JWK;
}
