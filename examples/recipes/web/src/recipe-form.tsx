import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import type { Recipe, RecipeInput } from "./api.js";

export interface RecipeFormProps {
  /** The recipe being edited, or `null` for a new one. */
  recipe: Recipe | null;
  onSave(input: RecipeInput): Promise<void>;
  onCancel(): void;
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

export function RecipeForm({ recipe, onSave, onCancel }: RecipeFormProps) {
  const [title, setTitle] = useState(recipe?.title ?? "");
  const [ingredients, setIngredients] = useState(recipe?.ingredients.join("\n") ?? "");
  const [steps, setSteps] = useState(recipe?.steps.join("\n") ?? "");
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);
  const heading = recipe ? `Edit “${recipe.title}”` : "New recipe";

  // Opening the form moves focus into it, so keyboard users land where they work.
  useEffect(() => titleRef.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      await onSave({ title: title.trim(), ingredients: lines(ingredients), steps: lines(steps) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="recipe-form-heading">
      <h2 id="recipe-form-heading">{heading}</h2>
      <form onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel()}>
        <label>
          Title
          <input ref={titleRef} name="title" required value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          Ingredients (one per line)
          <textarea name="ingredients" rows={4} value={ingredients} onChange={(e) => setIngredients(e.target.value)} />
        </label>
        <label>
          Steps (one per line)
          <textarea name="steps" rows={4} value={steps} onChange={(e) => setSteps(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
