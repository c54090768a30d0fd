/**
 * GraphiQL (development only) from the installed `@graphql-yoga/render-graphiql`
 * package, served by this app: no CDN, so it works offline, and a
 * Content-Security-Policy that allows scripts from this origin only.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as GraphiQLAssets from "@graphql-yoga/render-graphiql/graphiql";
import type { GraphiQLOptions } from "graphql-yoga";
import { BASE_HEADERS } from "../http/respond.js";
import type { Route } from "../http/router.js";

/** Where the assets are served. Outside `/graphql`, which is Yoga's alone. */
export const GRAPHIQL_ASSETS = "/graphiql";

/**
 * The page's policy: scripts, workers and requests from this origin only;
 * inline styles are allowed because the editor sets style attributes.
 */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Started by the page after the bundle: Monaco's workers by URL (not blobs), then GraphiQL on #root. */
const START_SCRIPT = `"use strict";
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: function (_moduleId, label) {
    return "${GRAPHIQL_ASSETS}/" + (label === "json" ? "json" : label === "graphql" ? "graphql" : "editor") + ".worker.js";
  },
};
YogaGraphiQL.renderYogaGraphiQL(
  document.getElementById("root"),
  JSON.parse(document.getElementById("graphiql-options").textContent),
);
`;

type Assets = typeof GraphiQLAssets;
let assets: Promise<Assets> | undefined;

/** The bundle is about 9 MB of JavaScript; loaded on the first GraphiQL request, never in production. */
function loadAssets(): Promise<Assets> {
  assets ??= import("@graphql-yoga/render-graphiql/graphiql");
  return assets;
}

/** JSON inside a `<script>` element: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The GraphiQL page for Yoga's `renderGraphiQL`: no inline script, assets from {@link GRAPHIQL_ASSETS}. */
export function renderGraphiQLPage(options: GraphiQLOptions): string {
  const title = escapeHtml(options.title || "Recipes GraphiQL");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="${GRAPHIQL_ASSETS}/favicon.ico">
<link rel="stylesheet" href="${GRAPHIQL_ASSETS}/graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root"></div>
<script type="application/json" id="graphiql-options">${scriptJson(options)}</script>
<script src="${GRAPHIQL_ASSETS}/graphiql.js"></script>
<script src="${GRAPHIQL_ASSETS}/start.js"></script>
</body>
</html>
`;
}

const JS = "text/javascript; charset=utf-8";
const FILES: ReadonlyArray<{ name: string; type: string; body: (a: Assets) => string | Buffer }> = [
  { name: "graphiql.js", type: JS, body: (a) => a.js },
  { name: "graphiql.css", type: "text/css; charset=utf-8", body: (a) => a.css },
  { name: "start.js", type: JS, body: () => START_SCRIPT },
  { name: "editor.worker.js", type: JS, body: (a) => a.editorWorkerService },
  { name: "json.worker.js", type: JS, body: (a) => a.jsonWorker },
  { name: "graphql.worker.js", type: JS, body: (a) => a.graphqlWorker },
  { name: "favicon.ico", type: "image/x-icon", body: (a) => Buffer.from(a.favicon.replace(/^data:[^,]*;base64,/, ""), "base64") },
];

/** The asset routes (empty when GraphiQL is off, so production serves none of it). */
export function graphiqlRoutes(enabled: boolean): Route[] {
  if (!enabled) return [];
  return FILES.map(({ name, type, body }) => ({
    path: `${GRAPHIQL_ASSETS}/${name}`,
    methods: ["GET", "HEAD"],
    handler: async (req: IncomingMessage, res: ServerResponse) => {
      const data = Buffer.from(body(await loadAssets()));
      res.writeHead(200, { ...BASE_HEADERS, "content-type": type, "content-length": data.byteLength, "cache-control": "no-cache" });
      res.end(req.method === "HEAD" ? undefined : data);
    },
  }));
}
