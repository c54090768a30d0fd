// Compile-only checks (run by `tsc`): entity ids and actions are typed from the schema.
import { describe, expectTypeOf, it } from "vitest";
import { Can, useCan } from "gatehouse/react";
import type { CanAction } from "gatehouse/react";
import { Recipes } from "./fixtures.js";

type S = typeof Recipes.schema;

// Never called: only type-checked.
function _typed() {
  useCan(Recipes, "recipe", "edit", { createdBy: { id: "joe" } });
  useCan(Recipes, "recipe", "approve");
  // @ts-expect-error unknown entity id
  useCan(Recipes, "dessert", "read");
  // @ts-expect-error unknown action for this schema
  useCan(Recipes, "recipe", "launch");
  // The short form cannot know the schema: any names, checked at run time.
  useCan("recipe", "launch");
  return [
    <Can key="a" definition={Recipes} entity="recipe" action="publish" />,
    // @ts-expect-error unknown entity id with a definition
    <Can key="b" definition={Recipes} entity="dessert" action="read" />,
    <Can key="c" entity="anything" action="approve" />,
  ];
}

describe("types", () => {
  it("derives actions from the schema", () => {
    expectTypeOf<CanAction<S, "recipe">>().toEqualTypeOf<
      "access" | "read" | "create" | "edit" | "delete" | "publish" | "unpublish" | "approve"
    >();
    expectTypeOf(useCan<S, "recipe">).returns.toEqualTypeOf<boolean | undefined>();
    expectTypeOf(_typed).toBeFunction();
  });
});
