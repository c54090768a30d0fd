// One recipes node as its own process, for the two-node test: started with
//   node --import tsx test/examples/recipes/cluster-node.ts
// configured from the environment, it prints "@@ready <url>" once listening and then takes
// admin commands on stdin, one JSON object per line, answering "@@done <json>" (so a change can
// be made ON this node, through its own store connection).
import { createInterface } from "node:readline";
import { createRecipesApp } from "../../../examples/recipes/src/app.js";

const env = process.env;
const app = await createRecipesApp({
  databaseUrl: env.NODE_DATABASE_URL,
  databaseSchema: env.NODE_DATABASE_SCHEMA,
  redisUrl: env.REDIS_URL || undefined,
  port: 0,
  nodeEnv: "development",
  logLevel: "warn",
  // Test runs share one Redis and one client address; the address limit is tested on its own.
  maxLoginAttemptsPerAddress: 10_000,
});
process.stdout.write(`@@ready ${app.url}\n`);

interface Command {
  op: "unassign" | "assign";
  username: string;
  role: string;
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    const command = JSON.parse(line) as Command;
    const user = await app.store.users.get(command.username);
    if (!user) throw new Error(`no user ${command.username}`);
    await app.store.assignments[command.op](user.id, { roles: [command.role] });
    process.stdout.write(`@@done ${JSON.stringify({ ok: true, at: Date.now() })}\n`);
  } catch (error) {
    process.stdout.write(`@@done ${JSON.stringify({ ok: false, error: String(error) })}\n`);
  }
}
await app.close();
