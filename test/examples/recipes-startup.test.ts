// `npm start` failing before it serves: one line on stderr that says what to
// change, exit code 1, no stack trace.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMainToExit } from "./start-main.js";

function expectOneLine(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^recipes: could not start: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("recipes start-up errors", () => {
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((done) => busy.listen(0, "127.0.0.1", done));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((done) => busy.close(() => done())));

  it.each([["abc"], ["-1"], ["65536"], ["4.5"], ["0x10"]])("PORT=%s names PORT and the accepted range", async (port) => {
    expectOneLine(await runMainToExit({ PORT: port }), /PORT must be an integer from 0 to 65535/);
  });

  it("a port in use names the address and how to pick another", async () => {
    expectOneLine(await runMainToExit({ PORT: String(busyPort) }), new RegExp(`127\\.0\\.0\\.1:${busyPort}: the port is in use.*PORT=0`));
  });

  it("DATABASE_URL=mysql://… names DATABASE_URL and the accepted forms, without the password", async () => {
    const r = await runMainToExit({ DATABASE_URL: "mysql://root:hunter2@db.example/recipes" });
    expectOneLine(r, /DATABASE_URL: unsupported url scheme "mysql:\/\/"; accepted: .*postgres:\/\//);
    expect(r.stderr).not.toContain("hunter2");
  });

  it("an unreachable Postgres is one line naming the host, without the password", async () => {
    const r = await runMainToExit({ DATABASE_URL: "postgres://nobody:hunter2@127.0.0.1:1/x" });
    expectOneLine(r, /Could not connect to Postgres at 127\.0\.0\.1/);
    expect(r.stderr).not.toContain("hunter2");
  });
});
