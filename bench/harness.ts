// Shared timing helpers for the benchmarks: interleaved rounds, medians, percentiles.

export interface BenchReport {
  name: string;
  rows: Array<Record<string, string | number>>;
  notes: string[];
}

export interface Contender {
  name: string;
  /** Runs one operation; may return a promise. */
  run: () => unknown;
}

export interface Timing {
  median: number;
  p95: number;
  samples: number;
  /** µs per run in each round, in round order (for ratios taken round by round). */
  perRound: number[];
}

/** Percentile of sorted numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** CPU time of this process in µs: on a shared machine, wall-clock time also counts waiting for a core. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** A small deterministic generator (xorshift32), so every run shuffles alike. */
function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** A Fisher–Yates shuffle of a copy of `items`. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Times contenders in interleaved rounds so machine noise hits all of them alike.
 * Each round runs every contender `batch` times and records the mean µs of
 * CPU time per run (the process's CPU time, so waiting for a core on a
 * loaded machine is not counted; work on other threads is).
 */
export async function interleave(contenders: Contender[], options: { rounds: number; batch: number; warmup: number }): Promise<Map<string, Timing>> {
  for (const c of contenders) for (let i = 0; i < options.warmup; i++) await c.run();
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const random = seeded(0x9e3779b9);
  for (let round = 0; round < options.rounds; round++) {
    // A new order each round. A rotation would keep who-follows-whom fixed,
    // so one contender would always inherit the garbage of the same heavy one.
    const order = shuffled(contenders, random);
    for (const c of order) {
      const start = cpuMicros();
      for (let i = 0; i < options.batch; i++) {
        const r = c.run();
        if (r instanceof Promise) await r;
      }
      samples.get(c.name)!.push((cpuMicros() - start) / options.batch);
    }
  }
  const out = new Map<string, Timing>();
  for (const [name, list] of samples) {
    const sorted = [...list].sort((a, b) => a - b);
    out.set(name, { median: percentile(sorted, 50), p95: percentile(sorted, 95), samples: sorted.length, perRound: list });
  }
  return out;
}

/**
 * The ratio of `t` to `base`, taken in each round (both ran within moments
 * of each other, so a machine that slows down for a while slows both) and
 * then the median over rounds: steadier than the ratio of the two medians.
 */
export function roundRatio(t: Timing, base: Timing): number {
  const ratios = t.perRound.map((us, i) => us / base.perRound[i]!).sort((a, b) => a - b);
  return percentile(ratios, 50);
}

/** Operations per second of a synchronous function, measured for about `ms` milliseconds after a warm-up. */
export function opsPerSecond(fn: () => unknown, ms: number): number {
  for (let i = 0; i < 1000; i++) fn();
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 1000; i++) fn();
    count += 1000;
    now = performance.now();
  }
  return Math.round((count * 1000) / (now - start));
}

/** Renders a report as a Markdown table. */
export function toMarkdown(report: BenchReport): string {
  if (report.rows.length === 0) return `### ${report.name}\n\n(no rows)\n`;
  const columns = Object.keys(report.rows[0]!);
  const lines = [
    `### ${report.name}`,
    "",
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...report.rows.map((row) => `| ${columns.map((c) => String(row[c] ?? "")).join(" | ")} |`),
  ];
  if (report.notes.length) lines.push("", ...report.notes.map((n) => `- ${n}`));
  return lines.join("\n") + "\n";
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;
export const round2 = (n: number): number => Math.round(n * 100) / 100;
