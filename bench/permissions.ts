// Permission checks per second for createPermissions.
import { createPermissions, createSecurityContext } from "gatehouse";
import { toSql } from "gatehouse/filter";
import { createPolicyEngine } from "gatehouse/policy";
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
  // Row filters: build the filter for a list and render its SQL, per request.
  const columns = { "createdBy.id": "created_by", published: "published" };
  const engine = createPolicyEngine([
    { id: "published", effect: "allow", actions: ["query"], resources: ["Recipe::*"], roles: ["*"], conditions: [{ field: "root.published", operator: "equals", expected: true }] },
    { id: "own", effect: "allow", actions: ["query"], resources: ["Recipe::*"], roles: ["*"], conditions: [{ field: "root.createdBy.id", operator: "equals", expectedOnContext: ["user.id"] }] },
    { id: "banned", effect: "deny", actions: ["*"], resources: ["*"], roles: ["*"], conditions: [{ field: "user.banned", operator: "exists" }, { field: "user.banned", operator: "equals", expected: true }] },
  ]);
  const planInput = { resource: "Recipe::*", action: "query", roles: ["author"], context: { user: { id: "joe" } } };
  const filterRows = [
    { check: "filter(read) + toSql, author (own rows)", "checks/s": opsPerSecond(() => toSql(author.filter("recipe", "read"), { columns }), ms) },
    { check: "filter(read) + toSql, admin (*)", "checks/s": opsPerSecond(() => toSql(admin.filter("recipe", "read"), { columns }), ms) },
    { check: "engine.plan + toSql (3 policies)", "checks/s": opsPerSecond(() => toSql(engine.plan(planInput), { columns }), ms) },
  ].map((r) => ({ ...r, "µs each": Number((1e6 / r["checks/s"]).toFixed(2)) }));
  return {
    name: "createPermissions checks and row filters",
    rows: [...rows.map((r) => ({ ...r, "µs each": Number((1e6 / r["checks/s"]).toFixed(2)) })), ...filterRows],
    notes: [
      "One core, promise creation included; awaiting adds one microtask per check.",
      "Row filters: building the filter and rendering its SQL text and parameters (no database round trip).",
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(toMarkdown(await run({ quick: process.argv.includes("--quick") })));
}
