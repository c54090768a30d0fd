import { useCallback, useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { Can } from "gatehouse/react";
import { RecipePermissions } from "../../shared/permissions.js";
import { ApiError, graphql, queries } from "./api.js";
import type { Recipe, RecipeInput } from "./api.js";
import { ErrorAlert } from "./error-alert.js";
import { RecipeForm } from "./recipe-form.js";
import { WhyNotCreate, WhyNotEditable } from "./why-not.js";

export interface RecipesPageProps {
  /** `null` for an anonymous visitor: published recipes, read only. */
  token: string | null;
  /** The API no longer accepts the token. */
  onSessionEnded(reason: unknown): void;
}

type Action = "access" | "create" | "edit" | "delete" | "publish";

/**
 * Shows a control only when the schema allows it, unless `showAll` is on: then the
 * button is there and the server answers with FORBIDDEN (hiding is not protection).
 */
function Allowed(props: { showAll: boolean; action: Action; item?: Recipe; children: ReactNode }) {
  if (props.showAll) return props.children;
  return (
    <Can definition={RecipePermissions} entity="recipe" action={props.action} item={props.item}>
      {props.children}
    </Can>
  );
}

export function RecipesPage({ token, onSessionEnded }: RecipesPageProps) {
  const [recipes, setRecipes] = useState<Recipe[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState("");
  const [editing, setEditing] = useState<Recipe | "new" | null>(null);
  const [showAll, setShowAll] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const fail = useCallback(
    (caught: unknown) => {
      if (caught instanceof ApiError && caught.code === "UNAUTHENTICATED") onSessionEnded(caught);
      else setError(caught);
    },
    [onSessionEnded],
  );

  const reload = useCallback(async () => {
    const data = await graphql<{ recipes: Recipe[] }>(token, queries.recipes);
    setRecipes(data.recipes);
  }, [token]);

  useEffect(() => {
    reload().catch(fail);
    // Right after logging in, the list is where the user is headed (a visitor starts at the login form).
    if (token) headingRef.current?.focus();
  }, [reload, fail, token]);

  async function run(operation: () => Promise<unknown>, done: string) {
    setError(null);
    setStatus("");
    try {
      await operation();
      setStatus(done);
      await reload();
      return true;
    } catch (caught) {
      fail(caught);
      return false;
    }
  }

  async function save(input: RecipeInput) {
    const target = editing;
    const ok = await run(
      () =>
        target === "new" || target === null
          ? graphql(token, queries.create, { input })
          : graphql(token, queries.update, { id: target.id, input }),
      `Saved “${input.title}”.`,
    );
    if (ok) closeForm();
  }

  function closeForm() {
    setEditing(null);
    // Focus returns to the list the form replaced.
    requestAnimationFrame(() => headingRef.current?.focus());
  }

  if (editing !== null) {
    return (
      <>
        <ErrorAlert error={error} focus />
        <RecipeForm recipe={editing === "new" ? null : editing} onSave={save} onCancel={closeForm} />
      </>
    );
  }

  return (
    <section aria-labelledby="recipes-heading">
      <h2 id="recipes-heading" ref={headingRef} tabIndex={-1}>
        Recipes
      </h2>
      <ErrorAlert error={error} focus />
      <p role="status" className="status">
        {status}
      </p>
      <div className="actions">
        <Allowed showAll={showAll} action="create">
          <button type="button" className="primary" onClick={() => setEditing("new")}>
            New recipe
          </button>
        </Allowed>
        {!showAll && <WhyNotCreate />}
        {token && (
          <label style={{ display: "flex", gap: "0.4rem", fontWeight: 400 }}>
            <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
            Show actions I may not use (the server still decides)
          </label>
        )}
      </div>
      {recipes === null ? (
        <p aria-busy="true">Loading recipes…</p>
      ) : recipes.length === 0 ? (
        <p>No recipes yet.</p>
      ) : (
        <ul className="recipes">
          {recipes.map((recipe) => (
            <li key={recipe.id}>
              <RecipeCard recipe={recipe} showAll={showAll}>
                <Allowed showAll={showAll} action="edit" item={recipe}>
                  <button type="button" onClick={() => setEditing(recipe)}>
                    Edit<span className="visually-hidden"> {recipe.title}</span>
                  </button>
                </Allowed>
                {!recipe.published && (
                  // Publishing needs both: the publish right and access to this very recipe (as the server checks).
                  <Allowed showAll={showAll} action="access" item={recipe}>
                    <Allowed showAll={showAll} action="publish" item={recipe}>
                      <button type="button" onClick={() => run(() => graphql(token, queries.publish, { id: recipe.id }), `Published “${recipe.title}”.`)}>
                        Publish<span className="visually-hidden"> {recipe.title}</span>
                      </button>
                    </Allowed>
                  </Allowed>
                )}
                <Allowed showAll={showAll} action="delete" item={recipe}>
                  <button type="button" onClick={() => run(() => graphql(token, queries.remove, { id: recipe.id }), `Deleted “${recipe.title}”.`)}>
                    Delete<span className="visually-hidden"> {recipe.title}</span>
                  </button>
                </Allowed>
                {!showAll && <WhyNotEditable recipe={recipe} />}
              </RecipeCard>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RecipeCard({ recipe, children }: { recipe: Recipe; showAll: boolean; children: ReactNode }) {
  const titleId = `recipe-${recipe.id}-title`;
  const author = recipe.createdBy?.displayName ?? recipe.createdBy?.username ?? "unknown";
  return (
    <article aria-labelledby={titleId} data-recipe-id={recipe.id}>
      <h3 id={titleId}>{recipe.title}</h3>
      <p className="meta">
        by {author} · <span className="badge">{recipe.published ? "Published" : "Draft"}</span>
      </p>
      <details>
        <summary>Ingredients and steps</summary>
        <ul>
          {recipe.ingredients.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
        <ol>
          {recipe.steps.map((step, i) => (
            <li key={i}>{step}</li>
          ))}
        </ol>
      </details>
      <div className="actions">{children}</div>
    </article>
  );
}
