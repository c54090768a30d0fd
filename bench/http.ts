// End-to-end HTTP requests/s on loopback: bare GraphQL Yoga vs Yoga + gatehouse
// (JWT authentication, field authorization), same schema and data, with a fresh
// token on every request (no cache can help) and with one repeated token (the
// verified-token cache helps); then the recipes example app itself under load.
//
// Each contender runs in a child process of its own beside a bare Yoga server, and
// autocannon in this one, so the load generator does not share an event loop with
// the server it measures, and no contender's server shares V8's feedback for Yoga's
// code with the other configurations (a production server runs one).
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, createPrivateKey, createSecretKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { round1, round2, toMarkdown, type BenchReport } from "./harness.js";
import { AUDIENCE, HS_SECRET, ISSUER, signatureChecks, type Kind, type Served, type SignatureCheck } from "./http-servers.js";

const CONNECTIONS = 10;
/** Distinct tokens per pool. Far more than the token cache holds (1,000), so a token seen again was evicted long before: every request is a full verification. */
const POOL = 20_000;
const RECIPES_QUERY = "{ recipes { id title published createdBy { username } } }";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function pool(count: number, sign1: (input: Buffer) => Buffer, header: object, claims: (i: number) => object): string[] {
  const h = b64(header);
  return Array.from({ length: count }, (_, i) => {
    const input = `${h}.${b64(claims(i))}`;
    return `${input}.${sign1(Buffer.from(input)).toString("base64url")}`;
  });
}

function benchClaims(i: number) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: `u${i % 50}`, roles: ["user"], iat: now, exp: now + 3600, jti: `t${i}` };
}

/** A load: its body and its tokens. */
interface Target {
  name: string;
  body: string;
  /** A fresh token per request from this pool, or one fixed token. */
  tokens: string[] | string;
}

/** A load compared with bare Yoga, on a server of `kind` in a process of its own. */
interface Contender extends Target {
  kind: Exclude<Kind, "recipes">;
}

/** Two loads of the same server averaged: bare Yoga around a contender's load. */
function meanOf(a: Sample, b: Sample): Sample {
  return { rps: (a.rps + b.rps) / 2, p50: (a.p50 + b.p50) / 2, p99: (a.p99 + b.p99) / 2, reused: a.reused + b.reused, cpuPerRequest: (a.cpuPerRequest + b.cpuPerRequest) / 2 };
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  reused: number;
  /** Server CPU time per request, µs (all threads of the server process). */
  cpuPerRequest: number;
}

async function serverCpu(url: string): Promise<number> {
  const usage = (await (await fetch(url)).json()) as { user: number; system: number };
  return usage.user + usage.system;
}

async function load(c: Target, url: string, seconds: number, cursor: { i: number }, cpuUrl: string): Promise<Sample> {
  const headers = { "content-type": "application/json", accept: "application/json" };
  const fixed = typeof c.tokens === "string" ? c.tokens : undefined;
  const list = typeof c.tokens === "string" ? [] : c.tokens;
  const start = cursor.i;
  const cpuBefore = await serverCpu(cpuUrl);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "POST",
        body: c.body,
        headers,
        setupRequest: (req) => ({ ...req, headers: { ...headers, authorization: `Bearer ${fixed ?? list[cursor.i++ % list.length]}` } }),
      },
    ],
  });
  const cpu = (await serverCpu(cpuUrl)) - cpuBefore;
  if (result.non2xx || result.errors) throw new Error(`${c.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    reused: Math.max(0, cursor.i - start - list.length),
    cpuPerRequest: cpu / Math.max(1, result.requests.total),
  };
}

function startServers(kind: Kind, env: Record<string, string>): Promise<{ child: ChildProcess; served: Served }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./http-servers.ts", import.meta.url))], {
    env: { ...process.env, ...env, BENCH_HTTP_SERVE: kind },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench servers exited early (${code})`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve({ child, served: JSON.parse(line) as Served }));
  });
}

/** Stops a child and waits for it, so it takes no CPU from the next one's loads. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill();
  await exited;
}

/**
 * CPU µs of one bare signature check, bench/jwt's limit (split, decode the signature, one node:crypto
 * call with a prepared key), in a tight loop over the pool: the least any verifier pays per token.
 */
function limitCpu(check: SignatureCheck, tokens: string[], ms: number): number {
  let n = 0;
  const start = process.cpuUsage();
  const until = performance.now() + ms;
  while (performance.now() < until) {
    for (let k = 0; k < 50; k++, n++) {
      const token = tokens[n % tokens.length]!;
      const dot = token.lastIndexOf(".");
      if (!check(token.slice(0, dot), Buffer.from(token.slice(dot + 1), "base64url"))) throw new Error("limit: a pool token did not verify");
    }
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const withSpread = (value: number, spread: string) => (spread ? `${round2(value)} (${spread})` : String(round2(value)));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function run(opts: { quick: boolean }): Promise<BenchReport> {
  // Each contender in a process of its own beside bare Yoga, loaded in turn with it: short loads, each
  // between two loads of bare Yoga, so on a shared machine whose speed drifts over tens of seconds a
  // contender is compared with bare Yoga as the machine was just then.
  const rounds = opts.quick ? 2 : 6;
  const seconds = opts.quick ? 1 : 2;
  // Warm-up: JIT, JWKS import, the recipes app's permission cache.
  const warmup = opts.quick ? 1 : 3;
  const es = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const esJwk = { ...(es.publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid: "bench", alg: "ES256", use: "sig" };
  const env = { BENCH_HTTP_ES256_JWK: JSON.stringify(esJwk) };
  const esSign = (input: Buffer) => sign("sha256", input, { key: es.privateKey, dsaEncoding: "ieee-p1363" });
  const hsSign = (input: Buffer) => createHmac("sha256", HS_SECRET).update(input).digest();
  const size = opts.quick ? 5_000 : POOL;
  const esTokens = pool(size, esSign, { alg: "ES256", kid: "bench", typ: "JWT" }, benchClaims);
  const hsTokens = pool(size, hsSign, { alg: "HS256", typ: "JWT" }, benchClaims);

  const posts = JSON.stringify({ query: "{ posts(limit: 10) { id title status author { id name } comments { id text author { name } } } }" });
  const bare: Target = { name: "bare Yoga", body: posts, tokens: esTokens[0]! };
  const contenders: Contender[] = [
    { name: "bare Yoga + a plugin that reads the bearer token and checks nothing (same token on every request)", kind: "headerOnly", body: posts, tokens: esTokens[0]! },
    { name: "bare Yoga + one node:crypto ES256 check, distinct tokens (hardware bound)", kind: "es256Check", body: posts, tokens: esTokens },
    { name: "bare Yoga + one node:crypto HS256 check, distinct tokens (hardware bound)", kind: "hs256Check", body: posts, tokens: hsTokens },
    { name: "Yoga + gatehouse, ES256, distinct tokens", kind: "es256", body: posts, tokens: esTokens },
    { name: "Yoga + gatehouse, ES256, one repeated token", kind: "es256", body: posts, tokens: esTokens[0]! },
    { name: "Yoga + gatehouse, HS256, distinct tokens", kind: "hs256", body: posts, tokens: hsTokens },
    { name: "Yoga + gatehouse + claimsAuthorizer, HS256, one repeated token", kind: "hs256Claims", body: posts, tokens: hsTokens[0]! },
  ];
  const esCheck = signatureChecks.ES256(es.publicKey);
  const hsCheck = signatureChecks.HS256(createSecretKey(Buffer.from(HS_SECRET)));
  const limits = {
    ES256: () => limitCpu(esCheck, esTokens, 200),
    HS256: () => limitCpu(hsCheck, hsTokens, 200),
  };
  const limitSamples: Record<keyof typeof limits, number[]> = { ES256: [], HS256: [] };
  /** Every load of bare Yoga, over all contenders' processes. */
  const bareSamples: Sample[] = [];
  const samples: Sample[][] = contenders.map(() => []);
  /** Per contender and round: bare Yoga as measured just before and just after it (the mean of the two). */
  const beside: Sample[][] = contenders.map(() => []);
  for (const [i, c] of contenders.entries()) {
    const { child, served } = await startServers(c.kind, env);
    try {
      const at = { bare: served.bare!, contender: served.url };
      const cursor = { i: 1 };
      const bareCursor = { i: 1 };
      await load(bare, at.bare, warmup, bareCursor, served.cpu);
      await load(c, at.contender, warmup, cursor, served.cpu);
      let before = await load(bare, at.bare, seconds, bareCursor, served.cpu);
      bareSamples.push(before);
      for (let round = 0; round < rounds; round++) {
        samples[i]!.push(await load(c, at.contender, seconds, cursor, served.cpu));
        const after = await load(bare, at.bare, seconds, bareCursor, served.cpu);
        bareSamples.push(after);
        beside[i]!.push(meanOf(before, after));
        before = after;
      }
    } finally {
      await stop(child);
    }
    // Measured beside every contender, with no server busy, so it sees the machine as the loads did.
    for (const alg of ["ES256", "HS256"] as const) limitSamples[alg].push(limits[alg]());
  }
  const recipes = await loadRecipes({ rounds, seconds, warmup, size, env });
  const limitUs = { ES256: median(limitSamples.ES256), HS256: median(limitSamples.HS256) };
  const bareCpu = median(bareSamples.map((x) => x.cpuPerRequest));

  const rows: BenchReport["rows"] = [];
  const targets: Record<string, number> = { "ES256, distinct": 0.85, "HS256, distinct": 0.85, "one repeated": 0.95 };
  // The median of the same-round ratios: one round in which bare Yoga lost its core to other work moves a mean, not a median.
  const ratioOf = median;
  // Same-round ratios: requests/s (wall clock) and server CPU per request (bare ÷ this).
  const wallRatios = samples.map((s, i) => s.map((x, r) => x.rps / beside[i]![r]!.rps));
  const cpuRatios = samples.map((s, i) => s.map((x, r) => beside[i]![r]!.cpuPerRequest / x.cpuPerRequest));
  const checkRow = { ES256: contenders.findIndex((c) => c.kind === "es256Check"), HS256: contenders.findIndex((c) => c.kind === "hs256Check") };
  /** Hardware bound by server CPU: the check-only server's ratio for a full verification; 1 for a repeated token (a cache hit needs no check). */
  const boundOf = (key: string) => (key === "one repeated" ? 1 : ratioOf(cpuRatios[checkRow[key.startsWith("ES256") ? "ES256" : "HS256"]]!));
  const spread = (list: number[]) => (list.length > 1 ? `${round2(Math.min(...list))}–${round2(Math.max(...list))}` : "");
  const measured = (name: string, s: Sample[]) => ({
    contender: name,
    "req/s": round1(s.reduce((sum, x) => sum + x.rps, 0) / s.length),
    "p50 ms": median(s.map((x) => x.p50)),
    "p99 ms": median(s.map((x) => x.p99)),
    "server CPU µs/req": round1(median(s.map((x) => x.cpuPerRequest))),
  });
  const uncompared = { "× bare (req/s)": "", "× bare (server CPU)": "", "hardware bound (server CPU)": "", target: "" };
  rows.push({ ...measured(bare.name, bareSamples), ...uncompared, "× bare (req/s)": 1, "× bare (server CPU)": 1 });
  for (const [i, c] of contenders.entries()) {
    const key = Object.keys(targets).find((k) => c.name.includes(k));
    const bound = key === undefined ? undefined : boundOf(key);
    const verdict = (ratio: number) => (ratio >= targets[key!]! ? "met" : "not met");
    const reachable = bound === undefined || bound >= targets[key!]! ? "" : "; above the hardware bound, so unreachable here";
    rows.push({
      ...measured(c.name, samples[i]!),
      "× bare (req/s)": withSpread(ratioOf(wallRatios[i]!), spread(wallRatios[i]!)),
      "× bare (server CPU)": withSpread(ratioOf(cpuRatios[i]!), spread(cpuRatios[i]!)),
      "hardware bound (server CPU)": bound === undefined ? "" : round2(bound),
      target: key === undefined ? "" : `≥ ${targets[key]}×: ${verdict(ratioOf(cpuRatios[i]!))} by CPU, ${verdict(ratioOf(wallRatios[i]!))} by req/s${reachable}`,
    });
  }
  for (const r of recipes.loads) rows.push({ ...measured(r.name, r.samples), ...uncompared });
  const reused = [...samples.flat(), ...recipes.loads.flatMap((r) => r.samples)].reduce((sum, s) => sum + s.reused, 0);
  return {
    name: `HTTP end to end (autocannon, loopback, ${CONNECTIONS} connections)`,
    rows,
    notes: [
      `Each contender runs in a child process of its own beside a bare Yoga server (so no server shares V8's optimisations of Yoga's code with the other configurations); in it, after a ${warmup}s warm-up of both, ${rounds} rounds of a ${seconds}s load of the contender between two ${seconds}s loads of bare Yoga. req/s is the mean of the rounds, latency and server CPU the median of the rounds (bare Yoga: over all its loads, in every process). Ratios are to the mean of the two bare Yoga loads around the same load, median of the rounds (min–max over rounds: the machine's noise). The shared machine's speed drifts over tens of seconds; neighbours in time see the same machine.`,
      "× bare (server CPU) = bare Yoga's server CPU per request ÷ this contender's: the throughput ratio when the server is CPU-bound, and robust to other work on the machine; × bare (req/s) is the wall-clock ratio, which on a shared machine also measures who got a core.",
      "autocannon in the parent process (2 cores shared with other work). bare Yoga gets the same Authorization header and ignores it.",
      `Yoga + gatehouse: JWT authentication (local JWKS, default token cache of 1,000 entries) and field authorization of posts(limit: 10) with authors and comments. "distinct tokens": a pool of ${size.toLocaleString("en")} pre-signed tokens, each request the next one; a token comes back only after ${size.toLocaleString("en")} others, long evicted from the cache, so every request verifies in full${reused ? ` (${reused} requests went round the pool again)` : ""}. "+ claimsAuthorizer": the set-up of the authentication guide, permissions from the token's roles (createSecurity's authorizers).`,
      `hardware bound: the "bare Yoga + one node:crypto check" servers run bench/jwt's limit on each request's token (split, decode the signature, one node:crypto call with a prepared key; no parsing, no claims, no cache) and nothing else, so their ratio to bare Yoga is the best any full verification can reach in this server; with a repeated token a cache can skip the check, so that bound is 1. A target above its bound cannot be met here by any verifier. For comparison, the same check in a tight loop, measured after each contender's loads: ES256 ${round1(limitUs.ES256)} µs, HS256 ${round1(limitUs.HS256)} µs, i.e. bare ÷ (bare + check) = ${round2(bareCpu / (bareCpu + limitUs.ES256))}× and ${round2(bareCpu / (bareCpu + limitUs.HS256))}× if a server paid no more per check than a tight loop does.`,
      "bare Yoga + a plugin that reads the bearer token: the check-only servers' plugin (an onContextBuilding hook that reads the Authorization header and splits the token) with a check that always passes; what Yoga itself charges for an authentication plugin of the smallest shape, beside which gatehouse's repeated-token rows can be read.",
      `recipes app: createRecipesApp on in-memory PGlite in a process of its own, the author joe listing recipes (${RECIPES_QUERY}), with the app's own ES256 key; permissions from the store (cached 30 s); the two token modes loaded in turn, ${rounds} rounds.`,
    ],
  };
}

/** The recipes app under load as the author joe, a repeated token and distinct ones in turn: latency, not compared with bare Yoga. */
async function loadRecipes(o: { rounds: number; seconds: number; warmup: number; size: number; env: Record<string, string> }): Promise<{ loads: Array<{ name: string; samples: Sample[] }> }> {
  const { child, served } = await startServers("recipes", o.env);
  try {
    const rk = served.recipesKey!;
    const recipesKey: KeyObject = createPrivateKey({ key: rk.jwk as never, format: "jwk" });
    const recipesClaims = () => {
      const now = Math.floor(Date.now() / 1000);
      return { username: rk.username, name: "Joe", sub: rk.sub, iss: rk.iss, aud: rk.aud, iat: now, exp: now + 3600, jti: randomUUID() };
    };
    const recipesSign = (input: Buffer) => sign("sha256", input, { key: recipesKey, dsaEncoding: "ieee-p1363" });
    const tokens = pool(o.size, recipesSign, { alg: "ES256", kid: rk.kid, typ: "JWT" }, recipesClaims);
    const body = JSON.stringify({ query: RECIPES_QUERY });
    const targets: Target[] = [
      { name: "recipes app, author joe, one repeated token", body, tokens: tokens[0]! },
      { name: "recipes app, author joe, distinct tokens", body, tokens },
    ];
    const cursors = targets.map(() => ({ i: 1 }));
    for (const [i, t] of targets.entries()) await load(t, served.url, o.warmup, cursors[i]!, served.cpu);
    const loads = targets.map((t) => ({ name: t.name, samples: [] as Sample[] }));
    for (let round = 0; round < o.rounds; round++) {
      for (const [i, t] of targets.entries()) loads[i]!.samples.push(await load(t, served.url, o.seconds, cursors[i]!, served.cpu));
    }
    return { loads };
  } finally {
    await stop(child);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(toMarkdown(await run({ quick: process.argv.includes("--quick") })));
