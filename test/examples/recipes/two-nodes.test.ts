// Two recipes processes on one Postgres and one Redis: the login limit is shared, a revocation
// on one node is enforced by the other within a second, and a subscriber on one node is cut off
// within a second of a role change made on the other. Propagation times are printed.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createRecipe, gql, login, tokenFor, uniqueSchema } from "./helpers.js";
import { subscribeSse } from "./sse.js";

const PG_URL = process.env.GATEHOUSE_TEST_PG_URL;
const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

if (!PG_URL || !REDIS_URL) {
  console.log("[two nodes] skipped: set GATEHOUSE_TEST_PG_URL and GATEHOUSE_TEST_REDIS_URL to run two app processes on one Postgres and one Redis");
}

/** A node process: its URL, and a way to make an admin change on it. */
interface Node {
  url: string;
  child: ChildProcessWithoutNullStreams;
  command(cmd: Record<string, unknown>): Promise<{ ok: boolean; at?: number; error?: string }>;
}

async function startNode(schema: string): Promise<Node> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/examples/recipes/cluster-node.ts"], {
    cwd: root,
    env: { ...process.env, NODE_DATABASE_URL: PG_URL, NODE_DATABASE_SCHEMA: schema, REDIS_URL, NODE_ENV: "development" },
  });
  const waiting: Array<(line: string) => void> = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<string>((resolveReady, reject) => {
    child.once("exit", (code) => reject(new Error(`node exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("@@ready ")) resolveReady(line.slice(8).trim());
      else if (line.startsWith("@@done ")) waiting.shift()?.(line.slice(7));
    });
  });
  const url = await ready;
  return {
    url,
    child,
    command(cmd) {
      return new Promise((resolveDone) => {
        waiting.push((json) => resolveDone(JSON.parse(json)));
        child.stdin.write(`${JSON.stringify(cmd)}\n`);
      });
    },
  };
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (!node || node.child.exitCode !== null) return;
  const exited = new Promise((r) => node.child.once("exit", r));
  node.child.stdin.end();
  const timer = setTimeout(() => node.child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Polls `check` until it holds; the elapsed ms, or null past `withinMs`. */
async function timeUntil(check: () => Promise<boolean>, start: number, withinMs: number): Promise<number | null> {
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > withinMs) return null;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.skipIf(!PG_URL || !REDIS_URL)("two recipes processes on one Postgres and one Redis", () => {
  const schema = uniqueSchema();
  let a: Node | undefined;
  let b: Node | undefined;
  beforeAll(async () => {
    // One after the other: the first seeds the shared schema, the second finds it seeded.
    a = await startNode(schema);
    b = await startNode(schema);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([stopNode(a), stopNode(b)]);
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it("the 11th login attempt across both nodes is refused", async () => {
    // A name of its own: counts live in a shared Redis and outlast this run.
    const username = `nobody-${randomBytes(6).toString("hex")}`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(i % 2 === 0 ? a!.url : b!.url, username, "wrong-password")).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });

  it("a logout on node A refuses the token on node B within a second", async () => {
    const times: number[] = [];
    for (const username of ["jane", "ed", "admin"]) {
      const token = await tokenFor(a!.url, username);
      // B has seen the token and cached "not revoked" for this user.
      expect((await gql(b!.url, "{ me { username } }", undefined, token)).body.data?.me).toEqual({ username });
      const start = performance.now();
      const res = await fetch(`${a!.url}/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(204);
      const took = await timeUntil(async () => codes(await gql(b!.url, "{ me { username } }", undefined, token)).includes("INVALID_CREDENTIALS"), start, 1000);
      expect(took).not.toBeNull();
      times.push(took!);
    }
    // Tokens issued in the revocation's own second are refused too: later tests log in afresh after it.
    await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
    console.log(`[two nodes] revocation on A refused on B after ${times.map((t) => `${t.toFixed(0)} ms`).join(", ")} (from the logout request)`);
  });

  it("a subscriber on node B hears of changes made on node A", async () => {
    const sub = await subscribeSse(b!.url, "subscription { recipeChanged { id title published } }");
    try {
      // Joe: the logout test above has just revoked the others' sessions (this second's tokens too).
      const joe = await tokenFor(a!.url, "joe");
      const start = performance.now();
      const draft = await createRecipe(a!.url, joe, "Draft on A");
      await gql(a!.url, "mutation($id: ID!) { publishRecipe(id: $id) { id } }", { id: draft.id }, joe);
      // Anonymous: the draft is not delivered, the publish is.
      const event = await sub.next(2000);
      expect(event?.data?.data?.recipeChanged).toEqual({ id: draft.id, title: "Draft on A", published: true });
      console.log(`[two nodes] a publish on A reached an anonymous subscriber on B ${(performance.now() - start).toFixed(0)} ms after the create request`);
    } finally {
      sub.close();
    }
  });

  it("a subscriber on node B is cut off within a second of a role change made on node A", async () => {
    const token = await tokenFor(a!.url, "joe");
    const sub = await subscribeSse(b!.url, "subscription { recipeChanged { id title published } }", token);
    try {
      expect(sub.status).toBe(200);
      await createRecipe(b!.url, token, "Joe on B");
      expect((await sub.next(2000))?.data?.data?.recipeChanged?.title).toBe("Joe on B");

      const start = performance.now();
      const done = await a!.command({ op: "unassign", username: "joe", role: "author" });
      expect(done.ok).toBe(true);
      const acked = performance.now() - start;
      const end = await sub.next(1000);
      const took = performance.now() - start;
      expect(end?.data?.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(took).toBeLessThan(1000);
      console.log(`[two nodes] role change on A cut off the subscriber on B after ${took.toFixed(0)} ms (A committed after ${acked.toFixed(0)} ms)`);
      // Nothing more is delivered on that stream.
      await createRecipe(b!.url, (await tokenFor(a!.url, "ed")), "After the cut");
      const more = await sub.next(300);
      expect(more === null || more.event === "complete").toBe(true);
    } finally {
      sub.close();
      await a!.command({ op: "assign", username: "joe", role: "author" });
    }
  });
});
