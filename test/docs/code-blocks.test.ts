// Every ```ts / ```tsx block of README.md and docs/*.md type-checks as its
// own module against gatehouse's sources (the same `paths` as the repo). A
// block that is a fragment on purpose is preceded by the line
//   <!-- typecheck: skip (why) -->
// and the reason is required; keep such blocks few. Blocks written for
// another library (the "before" side of docs/migrating.md) import from it:
// graphql-shield, graphql-middleware and @graphql-authz/core are devDependencies.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { codeBlocks, markdownFiles, root, type CodeBlock } from "./markdown.js";

const SKIP = /^<!-- typecheck: skip \((.+)\) -->$/;
const blocks = markdownFiles().flatMap(codeBlocks).filter((b) => b.lang === "ts" || b.lang === "tsx" || b.lang === "typescript");
const checked = blocks.filter((b) => !SKIP.test(b.before.trim()));
const skipped = blocks.filter((b) => SKIP.test(b.before.trim()));

const dir = mkdtempSync(join(tmpdir(), "gatehouse-doc-blocks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileName(block: CodeBlock): string {
  return `${block.file.replace(/[/.]/g, "_")}_L${block.line}.${block.lang === "tsx" ? "tsx" : "ts"}`;
}

/** Writes each checked block as its own module and returns the diagnostics by Markdown file. */
function typeCheck(): Map<string, string[]> {
  const byPath = new Map<string, CodeBlock>();
  for (const b of checked) {
    const path = join(dir, fileName(b));
    byPath.set(path, b);
    // Its own module: top-level await works and names never clash across blocks.
    writeFileSync(path, `${b.text}\nexport {};\n`);
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), { noEmit: true, noUnusedLocals: false, noUnusedParameters: false }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error("tsconfig.json could not be read");
  const program = ts.createProgram({ rootNames: [...byPath.keys()], options: config.options });
  const out = new Map<string, string[]>();
  for (const [path, block] of byPath) {
    const source = program.getSourceFile(path)!;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0);
      const list = out.get(block.file) ?? [];
      list.push(`${block.file}:${block.line + line}:${character + 1} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
      out.set(block.file, list);
    }
  }
  return out;
}

describe("TypeScript blocks in the docs", () => {
  it("has blocks to check, and every skip gives a reason", () => {
    expect(checked.length).toBeGreaterThan(5);
    for (const b of skipped) expect(SKIP.exec(b.before.trim())?.[1]?.trim().length, `${b.file}:${b.line}`).toBeGreaterThan(3);
  });

  // One program for all blocks; problems are reported per Markdown file, and
  // per block file, so a syntax error in one block hides nothing else.
  let problems: Map<string, string[]> | undefined;
  function problemsOf(file: string): string[] {
    problems ??= typeCheck();
    return problems.get(file) ?? [];
  }

  it.each([...new Set(checked.map((b) => b.file))])("%s type-checks (strict, the repo's paths)", (file) => {
    expect(problemsOf(file)).toEqual([]);
  });
});
