/**
 * Dispatch of `gatehouse <command>`: global help, version, and turning
 * errors into messages and exit codes.
 * @module
 */
import { readFileSync } from "node:fs";
import type { CliCommand } from "./command.js";
import { explainCommand } from "./commands/explain.js";
import { policyValidateCommand } from "./commands/policy-validate.js";
import { CliUsageError, EXIT } from "./io.js";
import type { CliIo } from "./io.js";

/** Every command, in help order. Commands that need `graphql` are loaded lazily. */
const COMMANDS: ReadonlyArray<{ name: string; summary: string; load: () => Promise<CliCommand> }> = [
  { name: "check", summary: "list uncovered fields, undefined rules and dead policy resources (for CI)", load: async () => (await import("./commands/check.js")).checkCommand },
  { name: "matrix", summary: "who may reach which field: coordinates x subjects as md, html or json", load: async () => (await import("./commands/matrix.js")).matrixCommand },
  { name: "explain", summary: explainCommand.summary, load: async () => explainCommand },
  { name: "policy validate", summary: policyValidateCommand.summary, load: async () => policyValidateCommand },
];

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** The top-level `gatehouse --help` text. */
export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return (
    "Usage: gatehouse <command> [options]\n\nCommands:\n" +
    COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n") +
    "\n\nRun `gatehouse <command> --help` for a command's options.\n" +
    "Exit codes: 0 ok, 1 findings (or denied, for explain), 2 usage or input error.\n"
  );
}

function findCommand(argv: readonly string[]): { entry: (typeof COMMANDS)[number]; rest: readonly string[] } | undefined {
  for (const entry of COMMANDS) {
    const words = entry.name.split(" ");
    if (words.every((w, i) => argv[i] === w)) return { entry, rest: argv.slice(words.length) };
  }
  return undefined;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the
 * exit code. Never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const first = argv[0];
  if (first === undefined) return io.stderr(globalHelp()), EXIT.usage;
  if (first === "--help" || first === "-h" || first === "help") return io.stdout(globalHelp()), EXIT.ok;
  if (first === "--version" || first === "-v") return io.stdout(`${version()}\n`), EXIT.ok;
  const found = findCommand(argv);
  if (!found) {
    const hint = first === "policy" ? "Did you mean `gatehouse policy validate <file>`?" : "Run `gatehouse --help` for the list of commands.";
    io.stderr(`gatehouse: unknown command '${argv.slice(0, first === "policy" ? 2 : 1).join(" ")}'. ${hint}\n`);
    return EXIT.usage;
  }
  try {
    const command = await found.entry.load();
    return await command.run(found.rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`gatehouse ${found.entry.name}: ${error.message}\n`);
      return EXIT.usage;
    }
    // Unexpected: show the message (never a stack) so the user can report it.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(`gatehouse ${found.entry.name}: unexpected error: ${message}\n`);
    return EXIT.usage;
  }
}
