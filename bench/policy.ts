/**
 * Policy engine throughput: decisions per second for a hit (an allow with a
 * condition, next to a deny that does not apply) and a miss (default deny),
 * at 50 and 5,000 policies.
 *
 *   node --import tsx bench/policy.ts [--quick]
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createPolicyEngine, type EvaluateInput, type Policy } from "../src/policy/index.js";

export type BenchReport = { name: string; rows: Array<Record<string, string | number>>; notes: string[] };

/** A realistic mix: exact fields, `Type::*`, `*::field`, globs, conditions, denies. */
function makePolicies(count: number): Policy[] {
  const policies: Policy[] = [];
  for (let i = 0; policies.length < count; i++) {
    const type = `Type${i}`;
    policies.push({ id: `read-${i}`, effect: "Allow", actions: ["query"], resources: [`${type}::*`], roles: [`role${i % 20}`, "admin"] });
    policies.push({
      id: `own-${i}`,
      effect: "allow",
      actions: ["mutation"],
      resources: [`Mutation::update${type}`],
      roles: ["*"],
      conditions: [{ field: "user.id", operator: "match", expectedOnContext: ["args.ownerId"] }],
    });
    policies.push({ id: `secret-${i}`, effect: "Deny", actions: ["*"], resources: [`${type}::secret${i}`], roles: ["*"] });
    policies.push({
      id: `limit-${i}`,
      effect: "deny",
      actions: ["query"],
      resources: [`Query::list${type}`],
      roles: ["*"],
      conditions: [{ field: "args.limit", operator: "greaterThan", expected: [100] }],
    });
    policies.push({ id: `list-${i}`, effect: "allow", actions: ["query"], resources: [`Query::list${type}`], roles: ["*"] });
  }
  policies.length = count;
  // A few shared wildcards every request meets, as in real files.
  policies.push({ id: "no-passwords", effect: "deny", actions: ["*"], resources: ["*::password"], roles: ["*"] });
  policies.push({ id: "titles", effect: "allow", actions: ["query"], resources: ["Post::title*"], roles: ["*"] });
  // The own-profile pair: a deny that reads the object (root).
  policies.push({ id: "read-users", effect: "allow", actions: ["query"], resources: ["User::*"], roles: ["*"] });
  policies.push({
    id: "own-profile-only",
    effect: "deny",
    actions: ["*"],
    resources: ["User::email"],
    roles: ["*"],
    conditions: [{ field: "user.id", operator: "notMatch", expectedOnContext: ["root.id"] }],
  });
  return policies;
}

interface Measured {
  opsPerSec: number;
  nsPerOp: number;
  /** Per second of this process's CPU time: less disturbed by other load on the machine. */
  cpuOpsPerSec: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function measure(evaluate: () => boolean, quick: boolean): Measured {
  const batch = quick ? 100_000 : 500_000;
  const rounds = quick ? 7 : 15;
  let sink = 0;
  for (let i = 0; i < batch; i++) sink += evaluate() ? 1 : 0; // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < batch; i++) sink += evaluate() ? 1 : 0;
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  if (sink < 0) throw new Error("unreachable"); // keeps the loop observable
  const wallMs = median(wall);
  return {
    opsPerSec: Math.round((batch / wallMs) * 1000),
    nsPerOp: Math.round((wallMs * 1e6) / batch),
    cpuOpsPerSec: Math.round((batch / Math.max(median(cpu), 0.001)) * 1000),
  };
}

export async function run(opts: { quick: boolean }): Promise<BenchReport> {
  const rows: BenchReport["rows"] = [];
  for (const count of [50, 5_000]) {
    const started = performance.now();
    const engine = createPolicyEngine(makePolicies(count));
    const compileMs = performance.now() - started;
    const mid = Math.floor(count / 10);
    const cases: Array<[string, EvaluateInput, boolean]> = [
      [
        "hit (allow with condition)",
        { resource: `Mutation::updateType${mid}`, action: "mutation", roles: ["role3"], context: { user: { id: "u1" }, args: { ownerId: "u1" } } },
        true,
      ],
      ["hit (allow, Type::*)", { resource: `Type${mid}::name`, action: "query", roles: [`role${mid % 20}`], context: {} }, true],
      ["hit (deny overrides)", { resource: `Query::listType${mid}`, action: "query", roles: ["x"], context: { args: { limit: 500 } } }, false],
      ["miss (default deny)", { resource: "Nothing::here", action: "query", roles: ["role1"], context: {} }, false],
      ["miss (role mismatch)", { resource: `Type${mid}::name`, action: "query", roles: ["nobody"], context: {} }, false],
      ["hit (deny reads root, own object)", { resource: "User::email", action: "query", roles: [], context: { user: { id: "u1" }, root: { id: "u1" } } }, true],
      ["depends on the object (no root)", { resource: "User::email", action: "query", roles: [], context: { user: { id: "u1" } } }, false],
      ["missing data (deny matches)", { resource: `Query::listType${mid}`, action: "query", roles: ["x"], context: { args: {} } }, false],
    ];
    for (const [label, input, expected] of cases) {
      if (engine.evaluate(input).allowed !== expected) throw new Error(`bench case '${label}' decided wrongly`);
      const m = measure(() => engine.evaluate(input).allowed, opts.quick);
      rows.push({
        policies: count,
        case: label,
        "decisions/s": m.opsPerSec,
        "ns/decision": m.nsPerOp,
        "decisions/s (cpu time)": m.cpuOpsPerSec,
        "compile ms": Math.round(compileMs),
      });
    }
  }
  return {
    name: "policy engine",
    rows,
    notes: [
      "One core, median of several batches after warm-up; evaluate() only (explain() is a full scan, for debugging).",
      "decisions/s is wall clock; the cpu-time column divides by this process's CPU time, which is steadier on a busy machine.",
      "Target: >= 1,000,000 decisions/s at 5,000 policies.",
      `Node ${process.version}, ${opts.quick ? "quick" : "full"} mode.`,
    ],
  };
}

function toMarkdown(report: BenchReport): string {
  const headers = Object.keys(report.rows[0] ?? {});
  const line = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
  return [
    `## ${report.name}`,
    "",
    line(headers),
    line(headers.map(() => "---")),
    ...report.rows.map((r) => line(headers.map((h) => (typeof r[h] === "number" ? (r[h] as number).toLocaleString("en-US") : (r[h] ?? ""))))),
    "",
    ...report.notes.map((n) => `- ${n}`),
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = await run({ quick: process.argv.includes("--quick") });
  process.stdout.write(`${toMarkdown(report)}\n`);
}
