// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { Can } from "gatehouse/react";
import { janesRecipe, joesRecipe, Recipes, users, wrapperFor } from "./fixtures.js";
import type { User } from "./fixtures.js";

// No vitest globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

function setup(user: User, ui: ReactNode) {
  const rendered: string[] = [];
  function Secret({ label }: { label: string }) {
    rendered.push(label);
    return <button type="button">{label}</button>;
  }
  const view = render(ui, { wrapper: wrapperFor(user, { definition: Recipes }) });
  return { view, rendered, Secret };
}

describe("<Can>", () => {
  it("renders children when allowed", async () => {
    render(
      <Can definition={Recipes} entity="recipe" action="edit" item={joesRecipe}>
        <button type="button">Edit</button>
      </Can>,
      { wrapper: wrapperFor(users.joe) },
    );
    expect(await screen.findByRole("button", { name: "Edit" })).toBeTruthy();
  });

  it("renders the fallback when denied", async () => {
    render(
      <Can definition={Recipes} entity="recipe" action="edit" item={janesRecipe} fallback={<span>Read only</span>}>
        <button type="button">Edit</button>
      </Can>,
      { wrapper: wrapperFor(users.joe) },
    );
    expect(await screen.findByText("Read only")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Edit" })).toBeNull();
  });

  it("renders nothing when denied without a fallback", async () => {
    const { container } = render(
      <div data-testid="box">
        <Can definition={Recipes} entity="recipe" action="publish">
          <button type="button">Publish</button>
        </Can>
      </div>,
      { wrapper: wrapperFor(users.joe) },
    );
    // Wait for the check to settle: the `loading` slot is empty too, so poll a sibling check.
    render(<Can definition={Recipes} entity="recipe" action="read"><i>settled</i></Can>, { wrapper: wrapperFor(users.joe) });
    await screen.findByText("settled");
    expect(container.querySelector("[data-testid=box]")!.innerHTML).toBe("");
  });

  it("shows `loading` (not children, not fallback) while resolving", async () => {
    render(
      <Can definition={Recipes} entity="recipe" action="edit" item={joesRecipe} loading={<span>checking</span>} fallback={<span>no</span>}>
        <span>yes</span>
      </Can>,
      { wrapper: wrapperFor(users.joe) },
    );
    expect(screen.getByText("checking")).toBeTruthy();
    expect(screen.queryByText("yes")).toBeNull();
    expect(screen.queryByText("no")).toBeNull();
    expect(await screen.findByText("yes")).toBeTruthy();
    expect(screen.queryByText("checking")).toBeNull();
  });

  it("never renders denied content, not even for one frame", async () => {
    const { rendered, Secret, view } = setup(users.joe, null);
    view.rerender(
      <Can entity="recipe" action="edit" item={janesRecipe} fallback={<span>denied</span>}>
        <Secret label="Edit" />
      </Can>,
    );
    await screen.findByText("denied");
    expect(rendered).toEqual([]);
  });

  it("uses the provider definition in the short form, custom actions included", async () => {
    const { rendered, Secret, view } = setup(users.ed, null);
    view.rerender(
      <>
        <Can entity="recipe" action="approve">
          <Secret label="Approve" />
        </Can>
        <Can entity="recipe" action="publish">
          <Secret label="Publish" />
        </Can>
      </>,
    );
    await screen.findByRole("button", { name: "Approve" });
    await screen.findByRole("button", { name: "Publish" });
    expect(rendered).toContain("Approve");
  });

  it("hides for anonymous users", async () => {
    render(
      <Can definition={Recipes} entity="recipe" action="read" fallback={<span>Please log in</span>}>
        <span>recipes</span>
      </Can>,
      { wrapper: wrapperFor(users.anonymous) },
    );
    expect(await screen.findByText("Please log in")).toBeTruthy();
  });
});
