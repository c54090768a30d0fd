import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// gatehouse/policy has no runtime dependencies and sits below graphql in the
// dependency graph: it may import only its own files, ../core (its entry, the
// shared glob and member reader) and the filter AST it plans into.
describe("src/policy import graph", () => {
  it("imports only relative policy files and core", () => {
    const dir = new URL("../../src/policy/", import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const source = readFileSync(new URL(file, dir), "utf8");
      const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!);
      for (const spec of specifiers) {
        expect([file, spec]).toEqual([file, expect.stringMatching(/^(\.\/[a-z-]+\.js|\.\.\/core\/(index|glob|read-member)\.js|\.\.\/filter\/(types|build)\.js)$/)]);
      }
    }
  });

  it("has no default exports and no export *", () => {
    const dir = new URL("../../src/policy/", import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(new URL(file, dir), "utf8");
      expect(source).not.toMatch(/export\s+default|export\s+\*/);
    }
  });
});
