// `npm test` says which suites need a service (Postgres, Redis, Chromium),
// whether they ran, and how to run the skipped ones: a vitest reporter added
// after the default one in vitest.config.ts.
import { existsSync } from "node:fs";
import type { Reporter } from "vitest/reporters";

/** A service some suites need, how the suites are recognised, and how to turn them on. */
export interface Service {
  name: string;
  /** Matches the full name (file, describe blocks, test) of the tests that need it. */
  pattern: RegExp;
  available(env: NodeJS.ProcessEnv): boolean;
  howToEnable: string;
}

export const SERVICES: readonly Service[] = [
  {
    name: "Postgres",
    pattern: /postgres/i,
    available: (env) => !!env.GATEHOUSE_TEST_PG_URL,
    howToEnable: "set GATEHOUSE_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test",
  },
  {
    name: "Redis",
    pattern: /redis/i,
    available: (env) => !!env.GATEHOUSE_TEST_REDIS_URL,
    howToEnable: "set GATEHOUSE_TEST_REDIS_URL=redis://127.0.0.1:6379",
  },
  {
    name: "Chromium",
    pattern: /chromium/i,
    available: (env) => [env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].some((p) => !!p && existsSync(p)),
    howToEnable: "apt-get install chromium, or set CHROMIUM_PATH",
  },
];

/** One test as the summary sees it. */
export interface TestOutcome {
  fullName: string;
  skipped: boolean;
}

/** The summary lines: per service, how many of its tests ran and were skipped, and how to enable it. */
export function serviceSummary(tests: readonly TestOutcome[], env: NodeJS.ProcessEnv, services: readonly Service[] = SERVICES): string[] {
  const lines = ["Service-backed suites:"];
  for (const service of services) {
    const mine = tests.filter((t) => service.pattern.test(t.fullName));
    const skipped = mine.filter((t) => t.skipped).length;
    const ran = mine.length - skipped;
    // Names are a heuristic ("[postgres]" in a describe); the service's state comes from the environment.
    if (service.available(env)) lines.push(`  ${service.name} suites: ran (${ran} tests${skipped ? `, ${skipped} skipped` : ""})`);
    else lines.push(`  ${service.name} suites: skipped (${skipped} tests; ${service.howToEnable} to run them)`);
  }
  return lines;
}

interface TaskLike {
  type: string;
  name: string;
  mode?: string;
  result?: { state?: string };
  tasks?: TaskLike[];
}

function collect(task: TaskLike, prefix: string, out: TestOutcome[]): void {
  const fullName = prefix ? `${prefix} > ${task.name}` : task.name;
  if (task.type === "test") {
    out.push({ fullName, skipped: task.mode === "skip" || task.mode === "todo" || task.result?.state === "skip" });
  }
  for (const child of task.tasks ?? []) collect(child, fullName, out);
}

/** Prints which service-backed suites ran when the run starts and, with counts, when it ends. */
export class ServiceSummaryReporter implements Reporter {
  onInit(): void {
    const states = SERVICES.map((s) => `${s.name} ${s.available(process.env) ? "on" : "off"}`).join(", ");
    process.stdout.write(`Service-backed suites: ${states} (summary at the end)\n`);
  }

  onFinished(files: TaskLike[] = []): void {
    const tests: TestOutcome[] = [];
    for (const file of files) collect(file, "", tests);
    process.stdout.write(`\n${serviceSummary(tests, process.env).join("\n")}\n`);
  }
}
