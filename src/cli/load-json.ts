/**
 * Reading input files with errors that say what to fix: which file, and for
 * bad JSON, the line and column.
 * @module
 */
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { CliUsageError } from "./io.js";
import { jsonErrorOffset } from "./json-error-offset.js";

/** A path as the user will recognise it in messages. @internal */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

/**
 * The text of `file` (relative to `cwd`).
 * @throws CliUsageError when the file is missing or unreadable
 */
export function readTextFile(cwd: string, file: string, what: string): { path: string; text: string } {
  const path = resolve(cwd, file);
  try {
    return { path, text: readFileSync(path, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "file not found; check the path" : code === "EISDIR" ? "is a directory, expected a file" : `cannot read it (${code ?? "error"})`;
    throw new CliUsageError(`${what} ${file}: ${why}.`);
  }
}

/** 1-based line and column of a character offset. @internal */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** Parses JSON text, naming the file and the line/column on failure. @throws CliUsageError */
export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Keep the engine's short reason but not its excerpt of the file (it may hold secrets).
    const reason = message.replace(/,\s*(?:\.\.\.)?".*$/s, "").replace(/ (?:in JSON )?at position \d+.*$/s, "").split("\n")[0];
    if (text.trim() === "") throw new CliUsageError(`${label}: invalid JSON: the file is empty.`);
    const { line, column } = lineColumn(text, jsonErrorOffset(text) ?? text.length);
    throw new CliUsageError(`${label}: invalid JSON at line ${line}, column ${column}: ${reason}.`);
  }
}

/**
 * Reads and parses a JSON file.
 * @throws CliUsageError when missing, unreadable or not valid JSON
 */
export function readJsonFile(cwd: string, file: string, what: string): unknown {
  const { text } = readTextFile(cwd, file, what);
  return parseJsonText(text, `${what} ${file}`);
}
