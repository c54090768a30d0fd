// Builds the recipes web page from the library sources: `vite build examples/recipes/web`.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const src = (path: string) => fileURLToPath(new URL(`../../../src/${path}`, import.meta.url));

/** The API the dev server forwards to (`vite examples/recipes/web`); the built page is served by the API itself. */
const api = process.env.RECIPES_API_URL ?? "http://127.0.0.1:4000";

// Vite reads the default export of its config file.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // Relative asset URLs: the page works wherever the API mounts it.
  base: "./",
  // @vitejs/plugin-react is not used: esbuild's automatic runtime is all TSX needs.
  esbuild: { jsx: "automatic" },
  resolve: {
    alias: [
      { find: /^gatehouse\/react$/, replacement: src("react/index.ts") },
      { find: /^gatehouse$/, replacement: src("index.ts") },
    ],
  },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/auth": api, "/graphql": api } },
  logLevel: "warn",
});
