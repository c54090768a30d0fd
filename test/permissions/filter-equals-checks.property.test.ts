// For random permission sets, identities (anonymous included, with and without
// anonymousPermissions) and rows, `filter(entity, action)` selects a row exactly
// when the corresponding check allows it. Built through createSecurity, so the
// permissions take the same path as in a request.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPermissions, createSecurity, type Identity, type OwnableItem, type Permission } from "gatehouse";
import { toPredicate } from "gatehouse/filter";

const Recipes = createPermissions({
  prefix: "recipes",
  fullAccess: { name: "recipes.*" },
  entities: [{ id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"], actions: [{ name: "rwd" }, { name: "pw" }] }],
} as const);

type Checks = ReturnType<typeof Recipes.for>;
const ACTIONS = ["read", "edit", "delete", "publish", "unpublish"] as const;
type Action = (typeof ACTIONS)[number];

const check: Record<Action, (p: Checks, row: OwnableItem) => Promise<boolean>> = {
  read: async (p, row) => (await p.canRead("recipe")) && (await p.canAccess("recipe", row)),
  edit: (p, row) => p.canEdit("recipe", row),
  delete: (p, row) => p.canDelete("recipe", row),
  publish: async (p, row) => (await p.canPublish("recipe")) && (await p.canAccess("recipe", row)),
  unpublish: async (p, row) => (await p.canUnpublish("recipe")) && (await p.canAccess("recipe", row)),
};

const absent = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const permission: fc.Arbitrary<Permission> = fc
  .record({
    name: fc.constantFrom("recipes.recipe", "recipes.recipe", "recipes.*", "*", "recipes.other", "books.*"),
    own: absent(fc.constantFrom<unknown>(true, false, "true", 1, null)),
    rwd: absent(fc.constantFrom<unknown>("", "r", "w", "d", "rw", "rd", "wd", "rwd", null, 5)),
    pw: absent(fc.constantFrom<unknown>("", "p", "u", "pu", null)),
  })
  .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Permission);

const ids = ["u1", "u2", ""];
const row: fc.Arbitrary<OwnableItem> = fc.oneof(
  fc.constant({}),
  fc.constant({ createdBy: null }),
  fc.record({ createdBy: fc.record({ id: fc.constantFrom<string | null | undefined>(...ids, null, undefined) }) }),
) as fc.Arbitrary<OwnableItem>;

async function checksFor(identity: Identity | null, granted: Permission[], anonymous: Permission[]): Promise<Checks> {
  const security = createSecurity({
    authenticators: [async (c) => (c.token === "t" ? identity : null)],
    authorizers: [async (who) => (who ? granted : null)],
    anonymousPermissions: anonymous,
  });
  return Recipes.for(await security.authenticate(identity ? { token: "t" } : {}));
}

describe("filter(entity, action) selects exactly the rows the checks allow (property)", () => {
  it("holds for random permission sets, identities and rows", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.constantFrom("u1", "u2").map((id): Identity => ({ id })), { nil: null }),
        fc.array(permission, { maxLength: 4 }),
        fc.array(permission, { maxLength: 2 }),
        fc.constantFrom(...ACTIONS),
        fc.array(row, { minLength: 1, maxLength: 8 }),
        async (identity, granted, anonymous, action, rows) => {
          const checks = await checksFor(identity, granted, anonymous);
          const selects = toPredicate(checks.filter("recipe", action));
          for (const r of rows) expect(selects(r), JSON.stringify(r)).toBe(await check[action](checks, r));
        },
      ),
      { numRuns: 500 },
    );
  });
});
