import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function specifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!).filter(Boolean);
}

function files(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(name) ? [p] : [];
  });
}

/** Every file reachable from `entry` through relative imports, with the bare (package) imports met on the way. */
function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: seen, packages };
}

// Areas that must stay free of runtime packages (the dependency-free entries): node builtins only.
const builtinOnly: Record<string, string> = {
  gatehouse: "dist/index.js",
  "gatehouse/policy": "dist/policy/index.js",
  "gatehouse/filter": "dist/filter/index.js",
  "gatehouse/http": "dist/http/index.js",
  "gatehouse/webhooks": "dist/webhooks/index.js",
};

describe("architecture", () => {
  it.each(Object.entries(builtinOnly))("built entry %s imports no package", (_name, entry) => {
    const path = join(root, entry);
    if (!existsSync(path)) return; // entry not built yet (npm test builds first)
    const { packages } = closure(path);
    expect([...packages].filter((p) => !p.startsWith("node:"))).toEqual([]);
  });

  it("the core entry has no static Node imports, so it bundles for browsers", () => {
    const path = join(root, "dist/index.js");
    if (!existsSync(path)) return;
    expect([...closure(path).packages]).toEqual([]);
  });

  // Arrows point toward core: an area may import only the areas listed for it.
  const allowed: Record<string, string[]> = {
    core: [],
    filter: ["core"],
    permissions: ["core", "filter"],
    policy: ["core", "filter"],
    webhooks: ["core"],
    jwt: ["core"],
    http: ["core"],
    audit: ["core"],
    store: ["core", "http"],
    graphql: ["core", "permissions", "policy", "filter", "audit"],
    integrations: ["core", "http", "graphql", "audit"],
    react: ["core", "permissions"],
    cli: ["core", "policy", "graphql", "audit", "permissions"],
  };
  it("source areas import only toward core", () => {
    const violations: string[] = [];
    for (const file of files(join(root, "src"), /\.tsx?$/)) {
      const area = relative(join(root, "src"), file).split("/")[0]!;
      if (!(area in allowed)) continue;
      for (const spec of specifiers(file)) {
        if (!spec.startsWith(".")) continue;
        const target = relative(join(root, "src"), resolve(dirname(file), spec)).split("/")[0]!;
        if (target !== area && !target.startsWith("index") && !allowed[area]!.includes(target)) violations.push(`${relative(root, file)} -> ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("core, filter, permissions, policy and webhooks never import graphql, jose or other packages", () => {
    const bad: string[] = [];
    for (const area of ["core", "filter", "permissions", "policy", "webhooks"]) {
      for (const file of files(join(root, "src", area), /\.tsx?$/)) {
        for (const spec of specifiers(file)) {
          if (!spec.startsWith(".") && !spec.startsWith("node:")) bad.push(`${relative(root, file)} -> ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("no default exports in src", () => {
    const offenders = files(join(root, "src"), /\.tsx?$/).filter((f) => /\bexport\s+default\b/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("every package.json export points into dist and has a source entry", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, { import?: string } | string> };
    for (const [name, target] of Object.entries(pkg.exports)) {
      if (typeof target === "string") continue;
      const source = target.import!.replace("./dist/", "src/").replace(/\.js$/, ".ts");
      const tsx = source.replace(/\.ts$/, ".tsx");
      expect(existsSync(join(root, source)) || existsSync(join(root, tsx)), `${name} -> ${source}`).toBe(true);
    }
  });
});
