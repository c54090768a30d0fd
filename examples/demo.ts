// A small demo: Joe and Jane, one recipe, and what each may do with it.
import { createPermissions, createSecurity, type Authenticator } from "gatehouse";

const RecipePermissions = createPermissions({
  prefix: "recipes",
  fullAccess: { name: "recipes.*" },
  entities: [{ id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"], actions: [{ name: "rwd" }, { name: "pw" }] }],
} as const);

const users: Record<string, { id: string; displayName: string }> = {
  "joe-token": { id: "joe", displayName: "Joe" },
  "jane-token": { id: "jane", displayName: "Jane" },
};
const byToken: Authenticator = async ({ token }) => (token ? (users[token] ?? null) : null);

const security = createSecurity({
  authenticators: [byToken],
  authorizers: [async (identity) => (identity ? [{ name: "recipes.recipe", own: true, rwd: "rwd", pw: "p" }] : null)],
});

const muffins = { id: "r1", title: "Muffins", createdBy: { id: "jane" } };
for (const token of ["joe-token", "jane-token"]) {
  const ctx = await security.authenticate({ token });
  const perms = RecipePermissions.for(ctx);
  console.log(
    `${ctx.identity?.displayName}: read=${await perms.canRead("recipe")} edit Jane's muffins=${await perms.canEdit("recipe", muffins)} delete=${await perms.canDelete("recipe", muffins)}`,
  );
}
