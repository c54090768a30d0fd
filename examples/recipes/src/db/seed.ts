import type { Permission } from "gatehouse";
import { StoreConflictError, type Store } from "gatehouse/store";
import type { RecipeRepository } from "../recipes/repository.js";

/** The story's roles: authors own their recipes, an editor manages recipes, an admin everything. */
export const SEED_ROLES: ReadonlyArray<{ slug: string; name: string; permissions: Permission[] }> = Object.freeze([
  { slug: "author", name: "Author", permissions: [{ name: "recipes.recipe", own: true, rwd: "rwd", pw: "p" }] },
  { slug: "editor", name: "Editor", permissions: [{ name: "recipes.*" }] },
  { slug: "admin", name: "Administrator", permissions: [{ name: "*" }] },
]);

/** The story's people; the password of each is `<username>-password` (development only). */
export const SEED_USERS: ReadonlyArray<{ username: string; displayName: string; email: string; role: string }> = Object.freeze([
  { username: "joe", displayName: "Joe", email: "joe@example.com", role: "author" },
  { username: "jane", displayName: "Jane", email: "jane@example.com", role: "author" },
  { username: "ed", displayName: "Ed (editor)", email: "ed@example.com", role: "editor" },
  { username: "admin", displayName: "Admin", email: "admin@example.com", role: "admin" },
]);

// Fixed ids, so two processes seeding one database at once insert each recipe once.
const SEED_RECIPES = Object.freeze([
  {
    id: "seed-jane-muffins",
    author: "jane",
    published: true,
    title: "Blueberry muffins",
    ingredients: ["250 g flour", "150 g blueberries", "100 g sugar", "2 eggs", "120 ml milk"],
    steps: ["Mix the dry ingredients.", "Whisk in eggs and milk.", "Fold in the blueberries.", "Bake 25 minutes at 180 °C."],
  },
  {
    id: "seed-jane-draft",
    author: "jane",
    published: false,
    title: "Secret lemon tart (draft)",
    ingredients: ["1 pastry shell", "3 lemons", "3 eggs", "150 g sugar"],
    steps: ["Work in progress."],
  },
  {
    id: "seed-joe-pancakes",
    author: "joe",
    published: true,
    title: "Sunday pancakes",
    ingredients: ["200 g flour", "2 eggs", "300 ml milk", "a pinch of salt"],
    steps: ["Whisk everything smooth.", "Rest 10 minutes.", "Fry thin in butter."],
  },
  {
    id: "seed-joe-draft",
    author: "joe",
    published: false,
    title: "Chili experiment (draft)",
    ingredients: ["500 g beans", "2 chilies", "1 onion"],
    steps: ["Still figuring it out."],
  },
]);

/** The password every seeded user gets. Development only. */
export function seedPassword(username: string): string {
  return `${username}-password`;
}

/**
 * Seeds roles, users and recipes into an empty database (no users yet).
 * Idempotent and safe when two processes start at once: conflicts are skipped.
 * @returns whether anything was seeded.
 */
export async function seedIfEmpty(store: Store, repository: RecipeRepository): Promise<boolean> {
  if ((await store.users.list()).length > 0) return false;
  for (const role of SEED_ROLES) {
    await ignoreConflict(() => store.roles.create(role));
  }
  const ids = new Map<string, string>();
  for (const u of SEED_USERS) {
    await ignoreConflict(() =>
      store.users.create({ username: u.username, password: seedPassword(u.username), displayName: u.displayName, email: u.email }),
    );
    const user = await store.users.get(u.username);
    if (!user) throw new Error(`Seeding failed: user ${u.username} missing.`);
    ids.set(u.username, user.id);
    await store.assignments.assign(user.id, { roles: [u.role] });
  }
  for (const r of SEED_RECIPES) {
    if (await repository.get(r.id)) continue;
    await ignoreConflict(() =>
      repository.create({ title: r.title, ingredients: [...r.ingredients], steps: [...r.steps] }, ids.get(r.author)!, {
        id: r.id,
        published: r.published,
      }),
    );
  }
  return true;
}

async function ignoreConflict(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof StoreConflictError) && !(error instanceof Error && error.message === "Recipe id already exists.")) throw error;
  }
}
