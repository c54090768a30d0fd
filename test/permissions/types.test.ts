import { describe, expectTypeOf, it } from "vitest";
import { createPermissions, createSecurityContext, type EntityId } from "gatehouse";

const Schema = createPermissions({
  prefix: "recipes",
  entities: [
    { id: "recipe", permission: "recipes.recipe", scopes: ["full", "own"], actions: [{ name: "rwd" }, { name: "approve" }] },
    { id: "tag", permission: "recipes.tag", actions: [{ name: "merge" }] },
  ],
} as const);

describe("createPermissions types", () => {
  it("entity ids and custom actions come from the as-const schema", () => {
    expectTypeOf<EntityId<typeof Schema.schema>>().toEqualTypeOf<"recipe" | "tag">();
    const p = Schema.for(createSecurityContext({ identity: null, permissions: [] }));
    expectTypeOf(p.canRead).parameter(0).toEqualTypeOf<"recipe" | "tag">();
    // Compile-time guarantees: these lines must not type-check. They are never awaited at run time.
    const never = () => {
      // @ts-expect-error unknown entity id
      void p.canRead("recpe");
      // @ts-expect-error "merge" belongs to "tag", not "recipe"
      void p.canAction("merge", "recipe");
      // @ts-expect-error rwd is a built-in, not a custom action
      void p.canAction("rwd", "recipe");
      void p.canAction("approve", "recipe");
      void p.canAction("merge", "tag");
    };
    void never;
  });
});
