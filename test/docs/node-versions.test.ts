// The supported Node.js majors are stated in three places that must agree
// (package.json `engines`, the README, .ci/run), and every non-optional
// package in the lockfile must accept the oldest release of each (no
// EBADENGINE on `npm ci`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { root } from "./markdown.js";

const SUPPORTED = [20, 22, 24];
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};

/** The oldest release `engines` accepts in a major. */
function oldestIn(major: number): string {
  for (let minor = 0; minor < 40; minor++) {
    const version = `${major}.${minor}.0`;
    if (semver.satisfies(version, pkg.engines.node)) return version;
  }
  throw new Error(`engines ${pkg.engines.node} accepts no ${major}.x release`);
}

describe("supported Node.js versions", () => {
  it("engines accepts each supported major and nothing older", () => {
    for (const major of SUPPORTED) expect(oldestIn(major)).toMatch(new RegExp(`^${major}\\.`));
    expect(semver.satisfies("18.20.0", pkg.engines.node)).toBe(false);
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });

  it("the README and .ci/run name the same majors", () => {
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain(`Supported Node.js versions: **${SUPPORTED.slice(0, -1).join(", ")} and ${SUPPORTED.at(-1)}**`);
    const ci = readFileSync(join(root, ".ci/run"), "utf8");
    expect(/GATEHOUSE_CI_NODE_MAJORS:-([\d ]+)\}/.exec(ci)?.[1]?.split(" ").map(Number)).toEqual(SUPPORTED.slice(1));
  });

  it("no required package in the lockfile refuses the oldest supported release of a major", () => {
    const refusals: string[] = [];
    for (const major of SUPPORTED) {
      const version = oldestIn(major);
      for (const [path, entry] of Object.entries(lock.packages)) {
        const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
        // Optional packages that refuse a version are skipped by npm, not installed with a warning.
        if (!path || !range || entry.optional || semver.satisfies(version, range)) continue;
        refusals.push(`${path.replace(/^node_modules\//, "")}@${entry.version} wants node ${range}, not ${version}`);
      }
    }
    expect(refusals).toEqual([]);
  });
});
