/**
 * The shape every `gatehouse` sub-command implements.
 * @module
 */
import type { CliIo } from "./io.js";

/** One sub-command: its help and its runner, which returns the exit code. */
export interface CliCommand {
  /** As typed, e.g. `check` or `policy validate`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Runs with the arguments after the command name; returns the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
