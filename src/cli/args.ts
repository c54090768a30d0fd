/**
 * Thin wrapper over `node:util` parseArgs: strict, and every parse error
 * becomes a {@link CliUsageError} that points at the command's --help.
 * @module
 */
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { CliUsageError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parsed options (strings, booleans or repeated strings) and positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` for one command. Unknown options and missing values are
 * usage errors.
 * @throws CliUsageError on any parse problem
 */
export function parseCommandArgs(command: string, argv: readonly string[], options: Options, maxPositionals: number): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    const raw = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    // Drop Node's advice about "--" positionals: the cause is almost always a typo.
    const message = /^Unknown option '[^']*'/.exec(raw)?.[0] ?? raw;
    throw new CliUsageError(`${message}\nRun \`gatehouse ${command} --help\` for usage.`);
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    throw new CliUsageError(
      `unexpected argument '${parsed.positionals[maxPositionals]}'.\nRun \`gatehouse ${command} --help\` for usage.`,
    );
  }
  return parsed;
}

/** A string option, or undefined. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}

/** A repeatable option, each value also split on commas, blanks removed. */
export function listOption(parsed: ParsedArgs, name: string): string[] {
  const value = parsed.values[name];
  const raw = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return raw.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}

/**
 * A required string option.
 * @throws CliUsageError when it is missing
 */
export function requiredOption(parsed: ParsedArgs, command: string, name: string, hint: string): string {
  const value = stringOption(parsed, name);
  if (value === undefined || value === "") {
    throw new CliUsageError(`missing --${name} ${hint}.\nRun \`gatehouse ${command} --help\` for usage.`);
  }
  return value;
}
