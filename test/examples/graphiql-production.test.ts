// GraphiQL is a development tool: in production neither its page nor its
// assets are served.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMain, type StartedMain } from "./start-main.js";

describe("GraphiQL in production", () => {
  let app: StartedMain;
  beforeAll(async () => {
    app = await startMain({ NODE_ENV: "production", WEBHOOK_SECRET: "a-production-secret" });
  });
  afterAll(() => app?.close());

  it("serves none of its assets", async () => {
    for (const asset of ["graphiql.js", "graphiql.css", "start.js", "editor.worker.js"]) {
      const res = await fetch(`${app.url}/graphiql/${asset}`);
      expect(res.status, asset).toBe(404);
      await res.arrayBuffer();
    }
  });

  it("does not answer a browser's GET /graphql with the GraphiQL page", async () => {
    const res = await fetch(`${app.url}/graphql`, { headers: { accept: "text/html" } });
    expect(await res.text()).not.toContain("/graphiql/graphiql.js");
  });
});
