// JWT verifications per second with cached keys (target ≥ 20,000/s ES256 on one core).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from "jose";
import type { Authenticator } from "gatehouse";
import { jwtAuthenticator } from "gatehouse/jwt";

interface BenchReport {
  name: string;
  rows: Array<Record<string, string | number>>;
  notes: string[];
}

const ISSUER = "https://issuer.bench/";
const AUDIENCE = "https://api.bench";
const SECRET = new TextEncoder().encode("bench-secret-bench-secret-bench-secret!!");

async function token(alg: string, key: CryptoKey | Uint8Array, kid?: string): Promise<string> {
  return new SignJWT({ sub: "user-1", name: "Bench", roles: ["reader"] })
    .setProtectedHeader(kid ? { alg, kid } : { alg })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(key);
}

async function asymmetric(alg: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid: `${alg}-1`, alg, use: "sig" };
  return { jwk, token: await token(alg, privateKey, jwk.kid) };
}

/**
 * Sequential verifications, interleaved: each round runs every case for a
 * slice of time so machine noise hits them alike. Returns median ops/s per case.
 */
async function measure(cases: Array<() => Promise<unknown>>, ms: number, rounds: number): Promise<number[]> {
  for (const fn of cases) for (let i = 0; i < 200; i++) await fn();
  const rates: number[][] = cases.map(() => []);
  const slice = ms / rounds;
  for (let r = 0; r < rounds; r++) {
    for (let c = 0; c < cases.length; c++) {
      const fn = cases[(c + r) % cases.length]!;
      let n = 0;
      const start = performance.now();
      while (performance.now() - start < slice) {
        for (let i = 0; i < 50; i++) await fn();
        n += 50;
      }
      rates[(c + r) % cases.length]!.push(n / ((performance.now() - start) / 1000));
    }
  }
  return rates.map((list) => Math.round(list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!));
}

export async function run(opts: { quick: boolean }): Promise<BenchReport> {
  const ms = opts.quick ? 1500 : 6000;
  const rounds = opts.quick ? 5 : 9;
  const es = await asymmetric("ES256");
  const rs = await asymmetric("RS256");
  const ed = await asymmetric("EdDSA");
  const hsToken = await token("HS256", SECRET);

  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [es.jwk] })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;

  // Full verifications: the verified-token cache is off, so every call checks the signature.
  const common = { issuer: ISSUER, audience: AUDIENCE, tokenCache: false as const };
  const cases: Array<[string, string, Authenticator, string]> = [
    ["HS256", "secret", jwtAuthenticator({ ...common, algorithms: ["HS256"], secret: SECRET }), hsToken],
    ["ES256", "local JWKS", jwtAuthenticator({ ...common, algorithms: ["ES256"], jwks: { keys: [es.jwk] } }), es.token],
    ["ES256", "remote JWKS (cached)", jwtAuthenticator({ ...common, algorithms: ["ES256"], jwksUrl }), es.token],
    ["RS256", "local JWKS", jwtAuthenticator({ ...common, algorithms: ["RS256"], jwks: { keys: [rs.jwk] } }), rs.token],
    ["EdDSA", "local JWKS", jwtAuthenticator({ ...common, algorithms: ["EdDSA"], jwks: { keys: [ed.jwk] } }), ed.token],
    // The default: a client's repeated token is verified once, then served from the bounded cache.
    ["ES256", "local JWKS, repeated token (default token cache)", jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwks: { keys: [es.jwk] } }), es.token],
  ];
  // Baseline: bare jose with the same checks, to show what gatehouse adds.
  const bare = createLocalJWKSet({ keys: [es.jwk] });
  const bareVerify = () => jwtVerify(es.token, bare, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], requiredClaims: ["sub", "exp"] });

  const fns = [...cases.map(([, , authenticate, tok]) => () => authenticate({ token: tok })), bareVerify];
  let rates: number[];
  try {
    rates = await measure(fns, ms, rounds);
  } finally {
    server.close();
  }
  const rows: Array<Record<string, string | number>> = cases.map(([alg, keys], i) => ({ alg, keys, "verifications/s": rates[i]!, "µs/op": 0 }));
  rows.push({ alg: "ES256", keys: "bare jose jwtVerify (baseline)", "verifications/s": rates[cases.length]!, "µs/op": 0 });
  for (const row of rows) row["µs/op"] = Math.round((1e6 / (row["verifications/s"] as number)) * 10) / 10;
  return {
    name: "JWT verification (jwtAuthenticator)",
    rows,
    notes: [
      `Sequential awaits on one event loop; cases interleaved over ${rounds} rounds (${ms} ms per case in all), median round reported, after 200 warm-up verifications each.`,
      "Includes claim checks (iss, aud, exp, nbf, sub) and mapping claims to an identity; keys cached (remote JWKS fetched once).",
      `Node ${process.version}; target ≥ 20,000/s for ES256.`,
    ],
  };
}

function toMarkdown(report: BenchReport): string {
  const cols = Object.keys(report.rows[0] ?? {});
  const lines = [`## ${report.name}`, "", `| ${cols.join(" | ")} |`, `| ${cols.map(() => "---").join(" | ")} |`];
  for (const row of report.rows) lines.push(`| ${cols.map((c) => String(row[c])).join(" | ")} |`);
  return `${[...lines, "", ...report.notes.map((n) => `- ${n}`)].join("\n")}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(toMarkdown(await run({ quick: process.argv.includes("--quick") })));
}
