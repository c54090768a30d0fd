// Reading README.md and docs/*.md for the documentation tests.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../examples/start-main.js";

export { root };

/** One fenced code block: its language, text and the 1-based line its text starts on. */
export interface CodeBlock {
  file: string;
  lang: string;
  text: string;
  line: number;
  /** The line just before the opening fence (for markers such as `<!-- typecheck: skip ... -->`). */
  before: string;
}

/** README.md and every Markdown file under docs/, relative to the root. */
export function markdownFiles(): string[] {
  return ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

/** The fenced blocks of a Markdown file (``` fences; nested fences are not used in these docs). */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```([\w-]*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    blocks.push({ file, lang: open[1] ?? "", text: lines.slice(start + 1, end).join("\n"), line: start + 2, before: lines[start - 1] ?? "" });
    i = end;
  }
  return blocks;
}
