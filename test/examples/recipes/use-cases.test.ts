// The use-case patterns of createPermissions (fetch, then check), in process with an in-memory repository.
import { describe, expect, it } from "vitest";
import { createSecurityContext, type Permission } from "gatehouse";
import { toPredicate, type Filter } from "gatehouse/filter";
import type { RecipeRepository } from "../../../examples/recipes/src/recipes/repository.js";
import type { Recipe } from "../../../examples/recipes/src/recipes/types.js";
import { createRecipeUseCases } from "../../../examples/recipes/src/recipes/use-cases.js";

const AUTHOR: Permission[] = [{ name: "recipes.recipe", own: true, rwd: "rwd", pw: "p" }];
const EDITOR: Permission[] = [{ name: "recipes.*" }];
const READER: Permission[] = [{ name: "recipes.recipe", rwd: "r" }];

function recipe(id: string, owner: string, published: boolean): Recipe {
  return { id, title: id, ingredients: [], steps: [], published, createdBy: { id: owner }, createdAt: "", updatedAt: "" };
}

function setup(identity: string | null, permissions: Permission[] = []) {
  const rows = new Map<string, Recipe>([
    ["jane-pub", recipe("jane-pub", "jane", true)],
    ["jane-draft", recipe("jane-draft", "jane", false)],
    ["joe-draft", recipe("joe-draft", "joe", false)],
  ]);
  const wheres: Filter[] = [];
  const repository: RecipeRepository = {
    async get(id) {
      return rows.get(id) ?? null;
    },
    async list(where) {
      wheres.push(where);
      return [...rows.values()].filter(toPredicate(where));
    },
    async create(input, createdBy) {
      const r = { ...recipe(`new-${rows.size}`, createdBy, false), ...input };
      rows.set(r.id, r);
      return r;
    },
    async update(id, input) {
      const r = rows.get(id);
      if (!r) return null;
      rows.set(id, { ...r, ...input });
      return rows.get(id)!;
    },
    async setPublished(id, published) {
      const r = rows.get(id);
      if (!r) return null;
      rows.set(id, { ...r, published });
      return rows.get(id)!;
    },
    async delete(id) {
      return rows.delete(id);
    },
    async count() {
      return rows.size;
    },
  };
  const security = createSecurityContext({ identity: identity ? { id: identity } : null, permissions });
  return { useCases: createRecipeUseCases(security, repository), rows, wheres };
}

const input = { title: " Soup ", ingredients: [" water "], steps: ["boil"] };

describe("list", () => {
  it("pushes the ownership filter into the query for own-scoped authors", async () => {
    const { useCases, wheres } = setup("joe", AUTHOR);
    expect((await useCases.list()).map((r) => r.id).sort()).toEqual(["jane-pub", "joe-draft"]);
    expect(wheres).toEqual([
      {
        kind: "where",
        where: {
          op: "or",
          of: [
            { op: "eq", field: "published", value: true },
            { op: "eq", field: "createdBy.id", value: "joe" },
          ],
        },
      },
    ]);
  });

  it("asks for every draft with full read access, and published only without any", async () => {
    expect((await setup("ed", EDITOR).useCases.list()).length).toBe(3);
    const reader = setup("rita", READER);
    await reader.useCases.list();
    expect(reader.wheres).toEqual([{ kind: "all" }]);
    const anon = setup(null);
    expect((await anon.useCases.list()).map((r) => r.id)).toEqual(["jane-pub"]);
    expect(anon.wheres).toEqual([{ kind: "where", where: { op: "eq", field: "published", value: true } }]);
  });
});

describe("get (the ownership gate)", () => {
  it("returns published recipes to anyone and null for unknown ids", async () => {
    await expect(setup(null).useCases.get("jane-pub")).resolves.toMatchObject({ id: "jane-pub" });
    await expect(setup(null).useCases.get("nope")).resolves.toBeNull();
  });

  it("returns own drafts; others' drafts are FORBIDDEN, or UNAUTHENTICATED when anonymous", async () => {
    await expect(setup("joe", AUTHOR).useCases.get("joe-draft")).resolves.toMatchObject({ id: "joe-draft" });
    await expect(setup("joe", AUTHOR).useCases.get("jane-draft")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(setup(null).useCases.get("jane-draft")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(setup("ed", EDITOR).useCases.get("jane-draft")).resolves.toMatchObject({ id: "jane-draft" });
  });
});

describe("create", () => {
  it("creates as the caller, trimmed", async () => {
    await expect(setup("joe", AUTHOR).useCases.create(input)).resolves.toMatchObject({ title: "Soup", ingredients: ["water"], createdBy: { id: "joe" } });
  });

  it("needs an identity and write access; validates sizes", async () => {
    await expect(setup(null).useCases.create(input)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(setup("rita", READER).useCases.create(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(setup("joe", AUTHOR).useCases.create({ ...input, title: "x".repeat(201) })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(setup("joe", AUTHOR).useCases.create({ ...input, steps: Array(101).fill("s") })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(setup("joe", AUTHOR).useCases.create({ ...input, steps: [" "] })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  });
});

describe("update, delete, publish", () => {
  it("work on the caller's own recipe", async () => {
    const { useCases, rows } = setup("joe", AUTHOR);
    await expect(useCases.update("joe-draft", input)).resolves.toMatchObject({ title: "Soup" });
    await expect(useCases.publish("joe-draft")).resolves.toMatchObject({ published: true });
    await expect(useCases.delete("joe-draft")).resolves.toBe(true);
    expect(rows.has("joe-draft")).toBe(false);
  });

  it("refuse someone else's recipe with FORBIDDEN and leave it unchanged", async () => {
    const { useCases, rows } = setup("joe", AUTHOR);
    const before = structuredClone([...rows.entries()]);
    for (const id of ["jane-pub", "jane-draft"]) {
      await expect(useCases.update(id, input)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(useCases.publish(id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(useCases.delete(id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect([...rows.entries()]).toEqual(before);
  });

  it("refuse anonymous callers with UNAUTHENTICATED and readers without write/publish with FORBIDDEN", async () => {
    const anon = setup(null).useCases;
    await expect(anon.update("jane-pub", input)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(anon.delete("jane-pub")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(anon.publish("jane-pub")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const reader = setup("rita", READER).useCases;
    await expect(reader.update("jane-pub", input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(reader.delete("jane-pub")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(reader.publish("jane-pub")).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("answer NOT_FOUND for a missing recipe", async () => {
    const { useCases } = setup("ed", EDITOR);
    await expect(useCases.update("nope", input)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(useCases.delete("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(useCases.publish("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("let the editor manage anyone's recipe", async () => {
    const { useCases } = setup("ed", EDITOR);
    await expect(useCases.update("jane-draft", input)).resolves.toMatchObject({ title: "Soup" });
    await expect(useCases.publish("jane-draft")).resolves.toMatchObject({ published: true });
    await expect(useCases.delete("joe-draft")).resolves.toBe(true);
  });
});
