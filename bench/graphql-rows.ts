// Rules that read the object, the hard case of field authorization: a post-execution
// rule on Post.body (published, the author's own, or an admin) and one on User.email
// (the owner or an admin), as gatehouse post rules, as gatehouse policies reading
// `root.*`, as graphql-shield rules on the resolver's source object, as
// @graphql-authz/core post rules, and written by hand in resolvers; one run, each
// contender in a process of its own beside bare execution.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { postExecRule as authzPostExecRule, preExecRule as authzPreExecRule, wrapExecuteFn } from "@graphql-authz/core";
import { execute, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";
import { applyMiddleware } from "graphql-middleware";
import { allow as shieldAllow, rule as shieldRule, shield } from "graphql-shield";
import { createSecurityContext, type SecurityContext } from "gatehouse";
import { allow, createAuthz, postExecRule } from "gatehouse/graphql";
import { allow as portedAllow, fromShield, rule as portedRule } from "gatehouse/graphql/shield";
import {
  deniedNullableQuery, deniedPropagatesQuery, passesQuery, readerPassesQuery, rowChecks, rowHandWrittenSchema, rowPolicies, rowSchema,
  type RowUser,
} from "./graphql-rows-fixture.js";
import { interleave, percentile, round1, round2, roundRatio, type BenchReport, type Contender, type Timing } from "./harness.js";

type Exec = (document: DocumentNode, user: RowUser) => unknown;
interface Ctx { user: RowUser; security: SecurityContext }

const ADMIN: RowUser = { id: "u0", admin: true };
/**
 * Reference, not a contender: bare execution, then a loop that reads back
 * from graphql-js's result what the two rules read and calls the same
 * checks, nulling nothing. Any checker that judges the result after
 * graphql-js has built it pays at least this.
 */
const READ_BACK = "bare + reading the rows back";
const READER: RowUser = { id: "u1", admin: false };

function contenders(): Record<string, Exec> {
  const bare = rowSchema();
  const hand = rowHandWrittenSchema();

  // graphql-shield runs inside resolvers: it sees the resolver's source object (the row).
  const shieldSchema = applyMiddleware(
    rowSchema(),
    shield(
      {
        Query: shieldAllow,
        Post: {
          "*": shieldAllow,
          body: shieldRule({ cache: "no_cache" })((p: { status: string; authorId: string }, _a, ctx: Ctx) => rowChecks.canReadBody(ctx.user, p.status, p.authorId)),
        },
        User: { "*": shieldAllow, email: shieldRule({ cache: "no_cache" })((u: { id: string }, _a, ctx: Ctx) => rowChecks.canSeeEmail(ctx.user, u.id)) },
      },
      { allowExternalErrors: false } as never,
    ),
  ) as GraphQLSchema;

  const authzExecute = wrapExecuteFn(execute, {
    rules: {
      Anyone: authzPreExecRule()(() => true),
      CanReadBody: authzPostExecRule({ selectionSet: "{ status author { id } }" })(
        (ctx: Ctx, _a: unknown, _v: unknown, p: { status: string; author: { id: string } }) => rowChecks.canReadBody(ctx.user, p.status, p.author.id),
      ),
      CanSeeEmail: authzPostExecRule({ selectionSet: "{ id }" })((ctx: Ctx, _a: unknown, _v: unknown, u: { id: string }) => rowChecks.canSeeEmail(ctx.user, u.id)),
    },
    authSchema: { Post: { body: { __authz: { rules: ["CanReadBody"] } } }, User: { email: { __authz: { rules: ["CanSeeEmail"] } } } },
  });

  const rules = {
    Anyone: allow,
    CanReadBody: postExecRule({ selectionSet: "{ status author { id } }" })(
      (ctx: Ctx, _a, _v, p: { status: string; author: { id: string } }) => rowChecks.canReadBody(ctx.user, p.status, p.author.id),
    ),
    CanSeeEmail: postExecRule({ selectionSet: "{ id }" })((ctx: Ctx, _a, _v, u: { id: string }) => rowChecks.canSeeEmail(ctx.user, u.id)),
  };
  const authSchema = {
    Query: { "*": { __authz: { rules: ["Anyone"] } } },
    Post: { "*": { __authz: { rules: ["Anyone"] } }, body: { __authz: { rules: ["CanReadBody"] } } },
    User: { "*": { __authz: { rules: ["Anyone"] } }, email: { __authz: { rules: ["CanSeeEmail"] } } },
  };
  const viaPostRules = createAuthz({ schema: bare, rules, authSchema });
  const viaPolicies = createAuthz({ schema: bare, policies: rowPolicies });
  // Opt-in compiled execution: the same rules, each plan compiled once by graphql-jit.
  const viaCompiled = createAuthz({ schema: bare, rules, authSchema, compile: compileQuery });
  const jitted = new WeakMap<DocumentNode, (user: RowUser) => unknown>();
  const jit = (document: DocumentNode): ((user: RowUser) => unknown) => {
    let run = jitted.get(document);
    if (!run) {
      const compiled = compileQuery(bare, document);
      if (!isCompiledQuery(compiled)) throw new Error("graphql-jit could not compile the benchmark query");
      jitted.set(document, (run = (user) => compiled.query(undefined, ctxOf(user), {})));
    }
    return run;
  };

  const securityOf = new Map<RowUser, SecurityContext>();
  const ctxOf = (user: RowUser): Ctx => {
    let security = securityOf.get(user);
    if (!security) securityOf.set(user, (security = createSecurityContext({ identity: { id: user.id, roles: user.admin ? ["admin"] : ["user"] }, permissions: [] })));
    return { user, security };
  };
  return {
    bare: (document) => execute({ schema: bare, document }),
    "hand-written": (document, user) => execute({ schema: hand, document, contextValue: ctxOf(user) }),
    "shield no_cache": (document, user) => execute({ schema: shieldSchema, document, contextValue: ctxOf(user) }),
    // graphql-authz fails the whole operation when a post rule denies (its design).
    "graphql-authz": (document, user) =>
      Promise.resolve()
        .then(() => authzExecute({ schema: bare, document, contextValue: ctxOf(user) }))
        .catch((error: unknown) => ({ errors: [error] })),
    "gatehouse post rule": (document, user) => viaPostRules.execute({ schema: bare, document, contextValue: ctxOf(user) }),
    "gatehouse policy (root.*)": (document, user) => viaPolicies.execute({ schema: bare, document, contextValue: ctxOf(user) }),
    "graphql-jit, no checks": (document, user) => jit(document)(user),
    [READ_BACK]: (document, user) => readBack(execute({ schema: bare, document, contextValue: ctxOf(user) }) as ExecutionResult, user),
    "gatehouse post rule + graphql-jit": (document, user) => viaCompiled.execute({ schema: bare, document, contextValue: ctxOf(user) }),
    ...migrationContenders(bare, ctxOf),
  };
}

/** What a post-execution checker must do at least: read each row's rule inputs back from the result. Returns the checks passed. */
function readBack(result: ExecutionResult, user: RowUser): number {
  const data = result.data as { posts?: Array<Record<string, unknown>>; published?: Array<Record<string, unknown>> } | null | undefined;
  let passed = 0;
  for (const post of data?.posts ?? data?.published ?? []) {
    const author = post.author as { id: string; email?: string };
    if (author.email !== undefined && rowChecks.canSeeEmail(user, author.id)) passed++;
    if (post.body !== undefined && rowChecks.canReadBody(user, post.status as string, author.id)) passed++;
  }
  return passed;
}

/** Correctness gate: every contender returns bare's data when all passes, and leaks nothing when rows are denied. */
async function gate(all: Record<string, Exec>): Promise<string[]> {
  const problems: string[] = [];
  const passes = parse(passesQuery(30));
  const expected = JSON.stringify(((await all.bare!(passes, ADMIN)) as ExecutionResult).data);
  // The reference reads what the rules read: both checks of each of the 30 rows.
  if ((await all[READ_BACK]!(passes, ADMIN)) !== 60) problems.push(`${READ_BACK}: did not read every row's rule inputs`);
  const reader = parse(readerPassesQuery(30));
  const readerExpected = JSON.stringify(((await all.bare!(reader, READER)) as ExecutionResult).data);
  if ((await all[READ_BACK]!(reader, READER)) !== 30) problems.push(`${READ_BACK}: did not read every row's rule inputs as a reader`);
  for (const [name, run] of Object.entries(all)) {
    if (name === "bare" || name === "graphql-jit, no checks" || name === READ_BACK) continue;
    const ok = (await run(passes, ADMIN)) as ExecutionResult;
    if (JSON.stringify(ok.data) !== expected || ok.errors?.length) problems.push(`${name}: the all-pass query differs from bare`);
    const asReader = (await run(reader, READER)) as ExecutionResult;
    if (JSON.stringify(asReader.data) !== readerExpected || asReader.errors?.length) problems.push(`${name}: the reader's all-pass query differs from bare`);
    const emails = JSON.stringify(((await run(parse(deniedNullableQuery(30)), READER)) as ExecutionResult).data ?? null);
    if (/user(?!1@)\d+@example\.test/.test(emails)) problems.push(`${name}: another author's email leaked`);
    const feed = (await run(parse(deniedPropagatesQuery(30)), READER)) as ExecutionResult;
    const text = JSON.stringify(feed.data ?? null);
    // Post 1 is a draft of u1 (READER's own); posts 4, 7, ... are drafts of others.
    if (/"Body of post (4|7|10|13)"/.test(text)) problems.push(`${name}: another author's draft body leaked`);
    if (!feed.errors?.length) problems.push(`${name}: no error for denied draft bodies`);
    if (name !== "graphql-authz" && !text.includes("Body of post 1\"")) problems.push(`${name}: the reader's own draft is missing`);
  }
  return problems;
}

/**
 * The targets for rules that read the object: every rule passes ≤ 1.10× bare at
 * N ≥ 100, ≤ 1.3× at N = 10, ≤ 1.5× at N = 1; rows denied ≤ 1.5× at every N;
 * overhead at least 3× below graphql-shield's and graphql-authz's.
 */
function verdict(shape: string, n: number, ratio: number, overhead: number, peers: number[], readBack: number | undefined): string {
  const limit = shape.includes("all pass") ? (n >= 100 ? 1.1 : n >= 10 ? 1.3 : 1.5) : 1.5;
  const misses: string[] = [];
  if (ratio > limit) misses.push(`> ${limit}× bare${readBack === undefined ? "" : ` (reading the rows back alone: ${round2(readBack)}×)`}`);
  const peersOk = peers.every((p) => overhead <= 0 || p / overhead >= 3);
  if (!peersOk) misses.push(`< 3× below peers (${peers.map((p) => round1(p / Math.max(overhead, 0.1))).join("×, ")}×)`);
  return misses.length === 0 ? `met (≤ ${limit}×, ≥ 3× below peers)` : `NOT met: ${misses.join("; ")}`;
}

function shapes(quick: boolean) {
  const sizes = quick ? [10, 100] : [1, 10, 100, 1000];
  return sizes.flatMap((n) => [
    { shape: "object rules, all pass", n, doc: parse(passesQuery(n)), user: ADMIN },
    { shape: "object rules, all pass as a reader", n, doc: parse(readerPassesQuery(n)), user: READER },
    { shape: "object rules, rows denied (nullable)", n, doc: parse(deniedNullableQuery(n)), user: READER },
    { shape: "object rules, denial propagates", n, doc: parse(deniedPropagatesQuery(n)), user: READER },
  ]);
}

type ShapeTimings = Record<string, Timing>;

/** Times `names` in interleaved rounds over every shape, in this process; one record per shape, in order. */
async function measure(all: Record<string, Exec>, names: string[], quick: boolean): Promise<ShapeTimings[]> {
  const out: ShapeTimings[] = [];
  for (const { shape, n, doc, user } of shapes(quick)) {
    // Batches of about 10 ms and 41 rounds: the overheads at N = 1 are a few µs, so the noise of a shared machine needs many samples.
    const batch = Math.max(1, Math.round((quick ? 200 : 1200) / Math.max(1, n / 5)));
    // The read-back reference is measured where it means something: every rule passes, nothing to null.
    const list: Contender[] = names
      .filter((name) => name !== READ_BACK || shape.includes("all pass"))
      .map((name) => ({ name, run: () => all[name]!(doc, user) }));
    out.push(Object.fromEntries(await interleave(list, { rounds: quick ? 7 : 41, batch, warmup: quick ? 20 : 100 })));
  }
  return out;
}

/**
 * Processes per contender: three for gatehouse's, whose targets are judged
 * (the ratio reported is the median process's: a process's memory layout
 * and inline caches move its ratio by a few hundredths from one start to
 * the next, more than its rounds do), one for the peers and references.
 */
function processesFor(name: string, quick: boolean): number {
  return !quick && name.startsWith("gatehouse") ? 3 : 1;
}

/**
 * One contender beside bare execution in a process of its own, as a server
 * runs one configuration: in a shared process, V8's inline caches in
 * graphql-js's execution are shaped by every contender's schema and
 * resolvers at once.
 */
function inChild(name: string, quick: boolean): Promise<ShapeTimings[]> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_ROWS_CONTENDER: name, BENCH_ROWS_QUICK: quick ? "1" : "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let text = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(text) as ShapeTimings[]) : reject(new Error(`the ${name} process exited with ${code}`))));
  });
}

export async function run(opts: { quick: boolean }): Promise<BenchReport> {
  const all = contenders();
  const problems = await gate(all);
  if (problems.length) throw new Error(`Correctness gate failed:\n${problems.join("\n")}`);

  const names = Object.keys(all).filter((name) => name !== "bare");
  // Every process of a contender, in order; a gatehouse contender (whose targets are judged) runs in several.
  const measured = new Map<string, ShapeTimings[][]>();
  for (const name of names) {
    const runs: ShapeTimings[][] = [];
    for (let k = 0; k < processesFor(name, opts.quick); k++) runs.push(await inChild(name, opts.quick));
    measured.set(name, runs);
  }
  const middle = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
  const rows: BenchReport["rows"] = [];
  shapes(opts.quick).forEach(({ shape, n }, i) => {
    const processes = (name: string) => measured.get(name)!.map((run) => run[i]!);
    const present = names.filter((name) => processes(name)[0]![name] !== undefined);
    // Each contender against bare in its own process, round by round; with several processes, the one of median ratio.
    const ratioIn = (name: string, timings: ShapeTimings) => roundRatio(timings[name]!, timings.bare!);
    const chosen = (name: string) => {
      const ranked = [...processes(name)].sort((a, b) => ratioIn(name, a) - ratioIn(name, b));
      return ranked[(ranked.length - 1) >> 1]!;
    };
    const ratio = (name: string) => ratioIn(name, chosen(name));
    const bares = present.flatMap((name) => processes(name).map((timings) => timings.bare!));
    const bareMedian = middle(bares.map((b) => b.median));
    // Overhead in µs from the ratio and the bare median over every process: one process's bare
    // median carries that process's share of the machine's noise, which the paired ratio cancels.
    const overhead = (name: string) => (ratio(name) - 1) * bareMedian;
    rows.push({ shape, N: n, contender: "bare", "median µs": round1(bareMedian), "p95 µs": round1(middle(bares.map((b) => b.p95))), "× bare": 1, "overhead µs": 0, target: "" });
    const readBackRatio = present.includes(READ_BACK) ? ratio(READ_BACK) : undefined;
    for (const name of present) {
      if (processes(name).length > 1) process.stderr.write(`rows: ${shape}, N = ${n}, ${name}: × bare per process ${processes(name).map((p) => round2(ratioIn(name, p))).join(", ")}\n`);
      const t = chosen(name)[name]!;
      const r = ratio(name);
      const target = name.endsWith("graphql-jit")
        ? (r < 1 ? `stretch met: faster than bare (${round2(r)}×)` : "stretch NOT met: not faster than bare")
        : name.startsWith("gatehouse") ? verdict(shape, n, r, overhead(name), [overhead("shield no_cache"), overhead("graphql-authz")], readBackRatio) : "";
      rows.push({ shape, N: n, contender: name, "median µs": round1(t.median), "p95 µs": round1(t.p95), "× bare": round2(r), "overhead µs": round1(overhead(name)), target });
    }
  });
  return {
    name: "GraphQL rules that read the object",
    rows,
    notes: [
      "Post.body: published, the author's own, or an admin (reads status and author.id); User.email: the owner or an admin (reads id).",
      "'all pass' runs as an admin: the post rules still read each row, while the policies' row check for the admin role selects every row, so gatehouse does not read the rows at all. 'all pass as a reader' lists published posts as a reader: every body is allowed because of what its row holds, so every contender reads every row. 'rows denied' runs as a reader (19 of 20 authors' emails denied); 'denial propagates': a draft's non-null body nulls its item of a [Post]! list.",
      "graphql-authz fails the whole operation when a post rule denies (its design), so its denied rows return no data.",
      "bare executes the same query with no checks at all, so it returns the data the others deny.",
      "'bare + reading the rows back' (all-pass shape only) is a reference, not a contender: bare execution, then a loop that reads from the result what the two rules read and calls the same checks, nulling nothing. Any checker that judges graphql-js's result after execution pays at least this: at N = 1000 the rows have left the CPU caches by the time execution returns. A verdict that misses its target quotes this ratio beside it.",
      "Stretch (opt-in): 'gatehouse post rule + graphql-jit' passes graphql-jit's compileQuery as createAuthz's `compile` option: each plan (with what the rules read injected) is compiled once, the rules judge its result as they judge graphql-js's. 'graphql-jit, no checks' is the compiled query alone, for reference. The targets above are for the default path (graphql-js execute).",
      "Each contender runs in a child process of its own beside bare execution, as a server runs one configuration (in one shared process, V8's inline caches in graphql-js's execution are shaped by every contender's schema and resolvers at once; in a paired check, the resolver-wrapping fromShield measured 0.06× bare higher there, policies at N = 1 up to 0.08× higher, post rules within ±0.04×). In each process the two are interleaved in rounds, in a new (seeded) order each round; µs are CPU time of that process per operation (the machine is shared), median over rounds; × bare is taken round by round (the contender against bare in the same round), median over rounds. Each gatehouse contender runs in three processes, one after another, and its row is the process of median × bare (from one start to the next, a process's ratio moves by a few hundredths, more than its rounds do); peers and references run in one. The bare row shows the median over every process, and overhead µs is (× bare − 1) × that bare median, so one process's share of the machine's noise does not enter the comparison with peers. Every contender's answers are checked in the parent first; gatehouse runs from the built package.",
      "Targets: all pass ≤ 1.10× bare at N ≥ 100, ≤ 1.3× at N = 10, ≤ 1.5× at N = 1; rows denied ≤ 1.5× at every N; overhead ≥ 3× below graphql-shield's and graphql-authz's.",
    ],
  };
}

// ---------------------------------------------------------------------------
// Migration: the graphql-shield rules of "shield no_cache" above, ported with
// fromShield (same tree, same rule bodies, import renamed to
// gatehouse/graphql/shield), judged by gatehouse on the resolver's source object.
function migrationContenders(bare: GraphQLSchema, ctxOf: (user: RowUser) => Ctx): Record<string, Exec> {
  const ported = fromShield({
    Query: portedAllow,
    Post: {
      "*": portedAllow,
      body: portedRule({ cache: "no_cache" })((p: { status: string; authorId: string }, _a, ctx: Ctx) => rowChecks.canReadBody(ctx.user, p.status, p.authorId)),
    },
    User: { "*": portedAllow, email: portedRule({ cache: "no_cache" })((u: { id: string }, _a, ctx: Ctx) => rowChecks.canSeeEmail(ctx.user, u.id)) },
  });
  const viaShield = createAuthz({ schema: bare, ...ported });
  return { "gatehouse fromShield": (document, user) => viaShield.execute({ schema: bare, document, contextValue: ctxOf(user) }) };
}

if (process.env.BENCH_ROWS_CONTENDER && import.meta.url === `file://${process.argv[1]}`) {
  const name = process.env.BENCH_ROWS_CONTENDER;
  process.stdout.write(JSON.stringify(await measure(contenders(), ["bare", name], process.env.BENCH_ROWS_QUICK === "1")));
}
