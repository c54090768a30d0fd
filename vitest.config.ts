import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { ServiceSummaryReporter } from "./test/support/service-summary.js";

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

// Tests import the public entries by name; these aliases point them at the
// sources so a test run never depends on a stale build.
const entries: Record<string, string> = {
  "gatehouse/policy": "policy/index.ts",
  "gatehouse/filter": "filter/index.ts",
  "gatehouse/jwt": "jwt/index.ts",
  "gatehouse/http": "http/index.ts",
  "gatehouse/graphql": "graphql/index.ts",
  "gatehouse/graphql/shield": "graphql/compat/shield/index.ts",
  "gatehouse/envelop": "integrations/envelop/index.ts",
  "gatehouse/apollo": "integrations/apollo/index.ts",
  "gatehouse/webhooks": "webhooks/index.ts",
  "gatehouse/store": "store/index.ts",
  "gatehouse/audit": "audit/index.ts",
  "gatehouse/react": "react/index.ts",
};

export const config = defineConfig({
  resolve: {
    alias: [
      ...Object.entries(entries).map(([find, path]) => ({ find: new RegExp(`^${find}$`), replacement: src(path) })),
      { find: /^gatehouse$/, replacement: src("index.ts") },
      // graphql 16 ships CJS (main) and ESM (module) copies. Node, and so every
      // dependency loaded natively (Yoga, Apollo, graphql-tools), uses the CJS
      // one; pin sources to it too, or instanceof checks fail across copies.
      { find: /^graphql$/, replacement: fileURLToPath(new URL("./node_modules/graphql/index.js", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx", "examples/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // After the usual output: which Postgres/Redis/Chromium suites ran, and how to run the skipped ones.
    reporters: ["default", new ServiceSummaryReporter()],
  },
});

// Vitest reads the default export of its config file; this is the one place
// a default export is allowed (see eslint.config.js).
export default config;
