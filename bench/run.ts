// Runs every benchmark, writes bench/results.json and bench/results.md, and
// refreshes the table in README.md between the bench markers.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { toMarkdown, type BenchReport } from "./harness.js";

const quick = process.argv.includes("--quick");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const modules = ["graphql", "graphql-rows", "policy", "jwt", "permissions", "http"];

const reports: BenchReport[] = [];
const failures: string[] = [];
for (const name of modules) {
  if (only && !only.includes(name)) continue;
  const path = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(path)) continue;
  const started = performance.now();
  try {
    const mod = (await import(path.href)) as { run(opts: { quick: boolean }): Promise<BenchReport> };
    const report = await mod.run({ quick });
    reports.push(report);
    process.stdout.write(toMarkdown(report) + `\n_(${name}: ${Math.round(performance.now() - started)} ms)_\n\n`);
  } catch (error) {
    failures.push(`${name}: ${(error as Error).message}`);
    process.stderr.write(`bench ${name} failed: ${(error as Error).stack}\n`);
  }
}

const machine = `${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
const header = `_Benchmarks of ${date}${quick ? " (quick mode)" : ""} on ${machine}; shared machine, so read the ratios, not the absolute times._\n\n`;
const markdown = header + reports.map(toMarkdown).join("\n");

if (!quick) {
  writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify({ date, machine, quick, reports }, null, 2) + "\n");
  writeFileSync(new URL("./results.md", import.meta.url), markdown);
  const readme = new URL("../README.md", import.meta.url);
  const text = readFileSync(readme, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  if (text.includes(start) && text.includes(end)) {
    writeFileSync(readme, text.slice(0, text.indexOf(start) + start.length) + "\n" + markdown + "\n" + text.slice(text.indexOf(end)));
  }
}
if (failures.length) {
  process.stderr.write(`\n${failures.length} benchmark(s) failed:\n${failures.join("\n")}\n`);
  process.exitCode = 1;
}
