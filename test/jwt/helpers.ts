import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

export const ISSUER = "https://issuer.test/";
export const AUDIENCE = "https://api.test";

export interface TestKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
  pem: string;
}

/** A fresh, extractable key pair with its public JWK (kid, alg, use) and SPKI PEM. */
export async function makeKey(alg: string, kid = `${alg}-${Math.random().toString(36).slice(2, 8)}`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { alg, kid, privateKey, publicKey, jwk, pem: await exportSPKI(publicKey) };
}

/** Signs claims with sensible defaults (iss, aud, sub, iat, exp in 5 minutes). */
export async function sign(key: TestKey, claims: JWTPayload = {}, header: { kid?: string | null } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const kid = header.kid === null ? undefined : (header.kid ?? key.kid);
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: "user-1", iat: now, exp: now + 300, ...claims })
    .setProtectedHeader(kid === undefined ? { alg: key.alg } : { alg: key.alg, kid })
    .sign(key.privateKey);
}

export const b64url = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

export interface JwksServer {
  url: string;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  setKeys(keys: JWK[]): void;
  /** "ok": serve keys; "error": HTTP 500; "hang": never answer. */
  setMode(mode: "ok" | "error" | "hang"): void;
  close(): Promise<void>;
}

/** A JWKS endpoint on 127.0.0.1 with an ephemeral port that counts its fetches. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let current = keys;
  let count = 0;
  let mode: "ok" | "error" | "hang" = "ok";
  const server: Server = createServer((_req, res) => {
    count++;
    if (mode === "hang") return;
    if (mode === "error") {
      res.writeHead(500).end("oops");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: current }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: () => count,
    setKeys: (next) => {
      current = next;
    },
    setMode: (next) => {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
