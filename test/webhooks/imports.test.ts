import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("../../src/webhooks/", import.meta.url));
const IMPORT = /(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g;

describe("gatehouse/webhooks dependencies", () => {
  it("imports only node builtins, its own files and core: zero runtime dependencies", () => {
    const allowed = /^(node:crypto|node:http|\.\/[a-z-]+\.js|\.\.\/core\/index\.js)$/;
    const offending = readdirSync(dir)
      .filter((name) => name.endsWith(".ts"))
      .flatMap((name) => [...readFileSync(`${dir}${name}`, "utf8").matchAll(IMPORT)].map((m) => `${name}: ${m[1]}`))
      .filter((entry) => !allowed.test(entry.split(": ")[1]!));
    expect(offending).toEqual([]);
  });

  it("has no default export and re-exports by name", () => {
    const index = readFileSync(`${dir}index.ts`, "utf8");
    expect(index).not.toMatch(/export \*/);
    for (const name of readdirSync(dir)) expect(readFileSync(`${dir}${name}`, "utf8")).not.toMatch(/export default/);
  });
});
