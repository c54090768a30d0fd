/**
 * The `gatehouse` CLI as a library, for tools that embed it and for tests.
 * The executable is `main.ts` (package bin `gatehouse`).
 * @module
 */
export { runCli, globalHelp } from "./run.js";
export { EXIT, CliUsageError, processIo } from "./io.js";
export type { CliIo } from "./io.js";
export type { CliCommand } from "./command.js";
