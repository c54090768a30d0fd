// JWT verifications per second: gatehouse's jwtAuthenticator (full verification, no
// cached result) against the hardware limit (node:crypto with a prepared KeyObject)
// and against jose's jwtVerify, per algorithm, in one interleaved run.
import { createHmac, createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, sign, timingSafeEqual, verify, type KeyObject } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, jwtVerify, type JWK } from "jose";
import type { Authenticator } from "gatehouse";
import { jwtAuthenticator } from "gatehouse/jwt";
import { percentile, round1, round2, toMarkdown, type BenchReport, type Contender } from "./harness.js";

const ISSUER = "https://issuer.bench/";
const AUDIENCE = "https://api.bench";
const SECRET = Buffer.from("bench-secret-bench-secret-bench-secret!!");
/** Distinct tokens per algorithm, used in turn, so nothing can be served from a per-token memo. */
const POOL = 256;
const TARGET = 0.8;

interface Setup {
  alg: string;
  tokens: string[];
  /** The verification key as node:crypto wants it. */
  key: KeyObject;
  /** What jose and gatehouse are given: a JWK set, or the HMAC secret. */
  jwk?: JWK;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function signToken(alg: string, privateKey: KeyObject, kid: string | undefined, i: number): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64(kid ? { alg, kid, typ: "JWT" } : { alg, typ: "JWT" });
  const payload = b64({ iss: ISSUER, aud: AUDIENCE, sub: `user-${i}`, name: "Bench", roles: ["reader"], iat: now, exp: now + 3600, jti: `t-${i}` });
  const input = Buffer.from(`${header}.${payload}`);
  const signature =
    alg === "HS256" ? createHmac("sha256", privateKey).update(input).digest()
    : alg === "ES256" ? sign("sha256", input, { key: privateKey, dsaEncoding: "ieee-p1363" })
    : alg === "EdDSA" ? sign(null, input, privateKey)
    : sign("sha256", input, privateKey);
  return `${header}.${payload}.${signature.toString("base64url")}`;
}

async function setup(alg: string): Promise<Setup> {
  if (alg === "HS256") {
    const key = createSecretKey(SECRET);
    return { alg, key, tokens: Array.from({ length: POOL }, (_, i) => signToken(alg, key, undefined, i)) };
  }
  const pair =
    alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" })
    : alg === "EdDSA" ? generateKeyPairSync("ed25519")
    : generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = `${alg}-1`;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: "sig" };
  const privateKey = createPrivateKey(pair.privateKey.export({ format: "pem", type: "pkcs8" }));
  // The limit gets the key a server holds: the public JWK imported once, as gatehouse and jose do.
  const key = createPublicKey({ key: jwk as never, format: "jwk" });
  return { alg, key, jwk, tokens: Array.from({ length: POOL }, (_, i) => signToken(alg, privateKey, kid, i)) };
}

/**
 * Interleaved rounds like the harness, timed in CPU time of the whole process
 * (every thread: jose's WebCrypto work runs on the libuv pool) as well as wall
 * time. On a shared machine the wall clock also counts the time this process
 * waited for a core; CPU time is what bounds a server's throughput.
 */
async function measure(contenders: Contender[], options: { rounds: number; batch: number; warmup: number }) {
  for (const c of contenders) for (let i = 0; i < options.warmup; i++) await c.run();
  const cpu = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const wall = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(k + round) % contenders.length]!;
      const startCpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < options.batch; i++) {
        const r = c.run();
        if (r instanceof Promise) await r;
      }
      const used = process.cpuUsage(startCpu);
      wall.get(c.name)!.push(((performance.now() - start) * 1000) / options.batch);
      cpu.get(c.name)!.push((used.user + used.system) / options.batch);
    }
  }
  const med = (list: number[]) => percentile([...list].sort((a, b) => a - b), 50);
  return new Map(contenders.map((c) => [c.name, { cpu: med(cpu.get(c.name)!), wall: med(wall.get(c.name)!) }]));
}

/** Cycles through the token pool. */
function rotating(tokens: string[]): () => string {
  let i = 0;
  return () => tokens[i++ % tokens.length]!;
}

/** The least work that verifies a compact token's signature: split, decode the signature, one node:crypto call. */
function limit(s: Setup): () => boolean {
  const next = rotating(s.tokens);
  return () => {
    const token = next();
    const dot = token.lastIndexOf(".");
    const signature = Buffer.from(token.slice(dot + 1), "base64url");
    if (s.alg === "HS256") {
      const expected = createHmac("sha256", s.key).update(token.slice(0, dot)).digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    }
    const data = Buffer.from(token.slice(0, dot), "latin1");
    if (s.alg === "ES256") return verify("sha256", data, { key: s.key, dsaEncoding: "ieee-p1363" }, signature);
    return verify(s.alg === "EdDSA" ? null : "sha256", data, s.key, signature);
  };
}

/**
 * The limit plus the one step no verifier that reads claims can skip: base64url-decode and
 * JSON.parse the payload. Shown beside the limit, never in place of it, as the floor for a JWT verifier.
 */
function limitAndClaims(s: Setup): () => boolean {
  const check = limit(s);
  const next = rotating(s.tokens);
  return () => {
    const token = next();
    const first = token.indexOf(".");
    const claims = JSON.parse(Buffer.from(token.slice(first + 1, token.indexOf(".", first + 1)), "base64url").toString("utf8")) as { sub?: unknown };
    return check() && typeof claims.sub === "string";
  };
}

function gatehouse(s: Setup, useTokenCache = false): Authenticator {
  const common = { issuer: ISSUER, audience: AUDIENCE, algorithms: [s.alg], ...(useTokenCache ? {} : { tokenCache: false as const }) };
  return s.jwk ? jwtAuthenticator({ ...common, jwks: { keys: [s.jwk] } }) : jwtAuthenticator({ ...common, secret: SECRET });
}

function jose(s: Setup): () => Promise<unknown> {
  const key = s.jwk ? createLocalJWKSet({ keys: [s.jwk] }) : new Uint8Array(SECRET);
  const next = rotating(s.tokens);
  const options = { issuer: ISSUER, audience: AUDIENCE, algorithms: [s.alg], requiredClaims: ["sub", "exp"] };
  return () => jwtVerify(next(), key as Parameters<typeof jwtVerify>[1], options);
}

export async function run(opts: { quick: boolean }): Promise<BenchReport> {
  const algs = ["ES256", "RS256", "EdDSA", "HS256"];
  const setups = await Promise.all(algs.map(setup));
  const es = setups[0]!;
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [es.jwk] })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;

  const contenders: Contender[] = [];
  for (const s of setups) {
    const full = gatehouse(s);
    const next = rotating(s.tokens);
    contenders.push({ name: `${s.alg}|limit`, run: limit(s) });
    contenders.push({ name: `${s.alg}|limit+claims`, run: limitAndClaims(s) });
    contenders.push({ name: `${s.alg}|gatehouse`, run: () => full({ token: next() }) });
    contenders.push({ name: `${s.alg}|jose`, run: jose(s) });
  }
  const remote = jwtAuthenticator({ issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], jwksUrl, tokenCache: false });
  const nextRemote = rotating(es.tokens);
  contenders.push({ name: "ES256|remote", run: () => remote({ token: nextRemote() }) });
  const cached = gatehouse(es, true);
  const one = es.tokens[0]!;
  contenders.push({ name: "ES256|cached", run: () => cached({ token: one }) });

  // Every contender must really verify before it is timed.
  for (const c of contenders) {
    const result = await c.run();
    if (result === false || result === null) throw new Error(`${c.name} did not verify its token`);
  }
  let timings: Awaited<ReturnType<typeof measure>>;
  try {
    timings = await measure(contenders, opts.quick ? { rounds: 7, batch: 200, warmup: 300 } : { rounds: 25, batch: 400, warmup: 1000 });
  } finally {
    server.close();
  }

  /** Verifications per CPU-second (the ratios); the wall-clock rate is shown beside it. */
  const perSecond = (name: string) => 1e6 / timings.get(name)!.cpu;
  const wallPerSecond = (name: string) => Math.round(1e6 / timings.get(name)!.wall);
  const rows: BenchReport["rows"] = [];
  const verdicts: string[] = [];
  for (const { alg } of setups) {
    const bound = perSecond(`${alg}|limit`);
    const add = (contender: string, name: string, target = "") => {
      const rate = perSecond(name);
      rows.push({ alg, contender, "verifications/CPU-s": Math.round(rate), "CPU µs/op": round1(1e6 / rate), "wall-clock/s": wallPerSecond(name), "× limit": round2(rate / bound), target });
    };
    const ratio = perSecond(`${alg}|gatehouse`) / bound;
    const verdict = ratio >= TARGET ? "met" : "not met";
    const floor = perSecond(`${alg}|limit+claims`) / bound;
    verdicts.push(`${alg} ${round2(ratio)}× (${verdict}; limit + JSON.parse of the claims alone: ${round2(floor)}×)`);
    add(alg === "HS256" ? "node:crypto createHmac + timingSafeEqual (limit)" : "node:crypto.verify, prepared KeyObject (limit)", `${alg}|limit`);
    add("limit + base64url/JSON.parse of the claims (floor of any verifier that reads them)", `${alg}|limit+claims`);
    add("gatehouse jwtAuthenticator, full verification", `${alg}|gatehouse`, `≥ ${TARGET}× limit: ${verdict}`);
    add("jose jwtVerify, same checks", `${alg}|jose`);
  }
  const esBound = perSecond("ES256|limit");
  for (const [contender, name] of [
    ["gatehouse, remote JWKS (keys cached by jose)", "ES256|remote"],
    ["gatehouse, one repeated token (default token cache)", "ES256|cached"],
  ] as const) {
    const rate = perSecond(name);
    rows.push({ alg: "ES256", contender, "verifications/CPU-s": Math.round(rate), "CPU µs/op": round1(1e6 / rate), "wall-clock/s": wallPerSecond(name), "× limit": round2(rate / esBound), target: "" });
  }
  return {
    name: "JWT verification (jwtAuthenticator vs node:crypto limit vs jose)",
    rows,
    notes: [
      `gatehouse ÷ limit: ${verdicts.join(", ")}.`,
      `Full verification: strict parsing, alg allowlist, key by kid from a local JWKS (HS256: the secret), signature, iss/aud/exp/nbf/iat and required claims, identity mapping; token cache off. ${POOL} distinct tokens per algorithm used in turn.`,
      "The limit splits the token, decodes the signature and makes one node:crypto call with a KeyObject prepared in advance: no parsing, no claims.",
      "The floor row adds to the limit only the decoding and JSON.parse of the payload, which any verifier that reads claims must do; where it sits below the target (HS256: an HMAC costs about as much as one JSON.parse), the target cannot be met by parsing the claims with JSON.parse.",
      `Sequential calls on one event loop; contenders interleaved over ${opts.quick ? 7 : 25} rounds, median round reported. Ratios use CPU time of the whole process (all threads, so jose's WebCrypto pool work counts), because the machine is shared and wall-clock time also counts waiting for a core; the wall-clock rate is shown for reference. Node ${process.version}.`,
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(toMarkdown(await run({ quick: process.argv.includes("--quick") })));
}
