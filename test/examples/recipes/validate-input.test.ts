import { describe, expect, it } from "vitest";
import { RECIPE_LIMITS, validateRecipeInput } from "../../../examples/recipes/src/recipes/validate-input.js";

const input = (patch: Partial<{ title: string; ingredients: string[]; steps: string[] }> = {}) => ({
  title: " Pancakes ",
  ingredients: [" 1 egg "],
  steps: ["Mix."],
  ...patch,
});

describe("validateRecipeInput", () => {
  it("trims every field of a good input", () => {
    expect(validateRecipeInput(input())).toEqual({ title: "Pancakes", ingredients: ["1 egg"], steps: ["Mix."] });
  });

  it.each([
    ["an empty title", { title: "  " }, /title must be 1-200/],
    ["a long title", { title: "t".repeat(RECIPE_LIMITS.titleMax + 1) }, /title must be 1-200/],
    ["NUL in the title", { title: "Pan\u0000cakes" }, /title must not contain NUL/],
    ["too many ingredients", { ingredients: Array.from({ length: RECIPE_LIMITS.itemsMax + 1 }, () => "x") }, /ingredients may hold at most/],
    ["an empty step", { steps: ["Mix.", " "] }, /each entry of steps/],
    ["NUL in an ingredient", { ingredients: ["egg\u0000"] }, /entries of ingredients must not contain NUL/],
    ["NUL in a step", { steps: ["\u0000"] }, /entries of steps must not contain NUL/],
  ])("refuses %s with BAD_USER_INPUT naming the field", (_name, patch, message) => {
    expect(() => validateRecipeInput(input(patch))).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT", message: expect.stringMatching(message) }));
  });
});
