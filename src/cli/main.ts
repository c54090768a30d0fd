#!/usr/bin/env node
/**
 * The `gatehouse` command (package bin). See docs/cli.md.
 * @module
 */
import { processIo } from "./io.js";
import { runCli } from "./run.js";

process.exitCode = await runCli(process.argv.slice(2), processIo());
