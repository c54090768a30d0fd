/**
 * Process plumbing of the CLI: where output goes, exit codes, and the error
 * type that means "the user must fix the command line or an input file".
 * @module
 */

/** Documented exit codes. */
export const EXIT = Object.freeze({
  /** Everything checked out (or: the request is allowed). */
  ok: 0,
  /** Findings: uncovered fields, undefined rules, invalid policies, or a denied request. */
  findings: 1,
  /** Usage or input error: bad option, missing file, invalid SDL or JSON. */
  usage: 2,
});

/** Where a command writes. Injected so commands can be tested in process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory relative paths are resolved against. */
  cwd: string;
}

/**
 * A problem with the command line or an input file: printed as one message
 * that says what to fix, exit code 2.
 */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
  };
}
