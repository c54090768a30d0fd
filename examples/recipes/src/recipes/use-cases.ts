import { NotAuthenticatedError, NotAuthorizedError, type SecurityContext } from "gatehouse";
import { anyOf, type Filter } from "gatehouse/filter";
import { RecipePermissions } from "../../shared/permissions.js";
import { notFound } from "./errors.js";
import type { RecipeRepository } from "./repository.js";
import type { Recipe, RecipeInput } from "./types.js";
import { validateRecipeInput } from "./validate-input.js";

/** The recipe use cases of one request, following `createPermissions`' patterns (fetch, then check the item). */
export interface RecipeUseCases {
  /** Published recipes, plus the drafts the caller may read (own, or all). */
  list(): Promise<Recipe[]>;
  /** The ownership gate: `null` when missing; a draft the caller may not read is a denial. */
  get(id: string): Promise<Recipe | null>;
  create(input: RecipeInput): Promise<Recipe>;
  update(id: string, input: RecipeInput): Promise<Recipe>;
  delete(id: string): Promise<boolean>;
  publish(id: string): Promise<Recipe>;
}

const PUBLISHED: Filter = { kind: "where", where: { op: "eq", field: "published", value: true } };

/**
 * Binds the use cases to one request's security context. Every method fails
 * closed: a denial throws `UNAUTHENTICATED` (no identity) or `FORBIDDEN`, and
 * nothing is written.
 */
export function createRecipeUseCases(security: SecurityContext, repository: RecipeRepository): RecipeUseCases {
  const perms = RecipePermissions.for(security);

  const deny = (): Error => (security.isAuthenticated ? new NotAuthorizedError() : new NotAuthenticatedError());
  const requireIdentity = (): string => {
    if (!security.identity) throw new NotAuthenticatedError();
    return security.identity.id;
  };

  /**
   * Published recipes are public; the permission decides which drafts come
   * along: `perms.filter("recipe", "read")` selects exactly the rows for which
   * `canRead && canAccess(row)` holds (all, own, or none), so the list can
   * never drift from the checks `get` makes.
   */
  function listFilter(): Filter {
    return anyOf(PUBLISHED, perms.filter("recipe", "read"));
  }

  async function get(id: string): Promise<Recipe | null> {
    const item = await repository.get(id);
    if (!item) return null;
    if (item.published) return item;
    if (!(await perms.canRead("recipe")) || !(await perms.canAccess("recipe", item))) throw deny();
    return item;
  }

  /** Fetch through the gate, then insist the recipe exists (mutations need a target). */
  async function getExisting(id: string): Promise<Recipe> {
    const item = await get(id);
    if (!item) throw notFound();
    return item;
  }

  return {
    async list() {
      return repository.list(listFilter());
    },
    get,
    async create(input) {
      const createdBy = requireIdentity();
      if (!(await perms.canCreate("recipe"))) throw deny();
      return repository.create(validateRecipeInput(input), createdBy);
    },
    async update(id, input) {
      requireIdentity();
      if (!(await perms.canEdit("recipe"))) throw deny();
      const original = await getExisting(id);
      // Defense in depth: the item-level check decides ownership.
      if (!(await perms.canEdit("recipe", original))) throw deny();
      const updated = await repository.update(id, validateRecipeInput(input));
      if (!updated) throw notFound();
      return updated;
    },
    async delete(id) {
      requireIdentity();
      const item = await getExisting(id);
      // canDelete under `own` needs the item: without it the answer is always false.
      if (!(await perms.canDelete("recipe", item))) throw deny();
      return repository.delete(id);
    },
    async publish(id) {
      requireIdentity();
      if (!(await perms.canPublish("recipe"))) throw deny();
      const item = await getExisting(id);
      if (!(await perms.canAccess("recipe", item))) throw deny();
      const published = await repository.setPublished(id, true);
      if (!published) throw notFound();
      return published;
    },
  };
}
