// Permission checks per second for createPermissions.
import { createPermissions, createSecurityContext } from "gatehouse";
import { opsPerSecond, toMarkdown, type BenchReport } from "./harness.js";

const Recipes = createPermissions({
  prefix: "recipes",
  fullAccess: { name: "recipes.*" },
  entities: [{ id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"], actions: [{ name: "rwd" }, { name: "pw" }] }],
} as const);

export async function run(opts: { quick: boolean }): Promise<BenchReport> {
  const ms = opts.quick ? 300 : 1500;
  const item = { createdBy: { id: "joe" } };
  const author = Recipes.for(createSecurityContext({
    identity: { id: "joe" },
    permissions: [{ name: "blog.post" }, { name: "shop.order" }, { name: "recipes.recipe", own: true, rwd: "rwd", pw: "p" }],
  }));
  const admin = Recipes.for(createSecurityContext({ identity: { id: "ed" }, permissions: [{ name: "*" }] }));
  // The checks return promises (contract); measure the synchronous part plus promise creation.
  const rows = [
    { check: "canEdit(own item) author", "checks/s": opsPerSecond(() => author.canEdit("recipe", item), ms) },
    { check: "canDelete(no item) author", "checks/s": opsPerSecond(() => author.canDelete("recipe"), ms) },
    { check: "onlyOwnRecords author", "checks/s": opsPerSecond(() => author.onlyOwnRecords("recipe"), ms) },
    { check: "canPublish admin (*)", "checks/s": opsPerSecond(() => admin.canPublish("recipe"), ms) },
  ];
  return { name: "createPermissions checks", rows, notes: ["One core, promise creation included; awaiting adds one microtask per check."] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(toMarkdown(await run({ quick: process.argv.includes("--quick") })));
}
