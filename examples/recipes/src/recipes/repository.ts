import { randomUUID } from "node:crypto";
import { toSql, type Filter } from "gatehouse/filter";
import type { Db } from "gatehouse/store";
import type { Recipe, RecipeInput } from "./types.js";

interface RecipeRow {
  id: string;
  title: string;
  ingredients: unknown;
  steps: unknown;
  published: boolean;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = "id, title, ingredients, steps, published, created_by, created_at, updated_at";

/**
 * The recipe fields a row filter may read, and their columns. A filter on
 * any other field is a TypeError from toSql, never a wider list.
 */
export const FILTER_COLUMNS = { id: "id", title: "title", published: "published", "createdBy.id": "created_by" } as const;

/** Data access for recipes: parameterised SQL only, no permission logic (that lives in the use cases). */
export interface RecipeRepository {
  get(id: string): Promise<Recipe | null>;
  /** The recipes a row filter selects (built by the use cases from permissions), newest first. */
  list(filter: Filter): Promise<Recipe[]>;
  create(input: RecipeInput, createdBy: string, options?: { id?: string; published?: boolean }): Promise<Recipe>;
  update(id: string, input: RecipeInput): Promise<Recipe | null>;
  setPublished(id: string, published: boolean): Promise<Recipe | null>;
  delete(id: string): Promise<boolean>;
  count(): Promise<number>;
}

/**
 * Postgres text cannot hold NUL, so a query with such an id fails instead of
 * matching nothing. No recipe has one: lookups by it find nothing, without SQL.
 */
function isRecipeId(id: string): boolean {
  return typeof id === "string" && !id.includes("\u0000");
}

/** Builds the repository over the store's database. `now` is injectable for tests. */
export function createRecipeRepository(db: Db, now: () => Date = () => new Date()): RecipeRepository {
  return {
    async get(id) {
      if (!isRecipeId(id)) return null;
      const { rows } = await db.query<RecipeRow>(`SELECT ${COLUMNS} FROM recipes WHERE id = $1`, [id]);
      return rows[0] ? toRecipe(rows[0]) : null;
    },
    async list(filter) {
      // The permission filter is the WHERE clause (filtered in the database, never after loading);
      // its values are parameters and its identifiers come from FILTER_COLUMNS only.
      const where = toSql(filter, { columns: FILTER_COLUMNS });
      const { rows } = await db.query<RecipeRow>(`SELECT ${COLUMNS} FROM recipes WHERE ${where.text} ORDER BY created_at DESC, id`, where.values);
      return rows.map(toRecipe);
    },
    async create(input, createdBy, options = {}) {
      const at = now();
      const { rows } = await db.query<RecipeRow>(
        `INSERT INTO recipes (${COLUMNS}) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $7)
         ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
        [
          options.id ?? randomUUID(),
          input.title,
          JSON.stringify(input.ingredients),
          JSON.stringify(input.steps),
          options.published ?? false,
          createdBy,
          at,
        ],
      );
      if (!rows[0]) throw new Error("Recipe id already exists.");
      return toRecipe(rows[0]);
    },
    async update(id, input) {
      if (!isRecipeId(id)) return null;
      const { rows } = await db.query<RecipeRow>(
        `UPDATE recipes SET title = $2, ingredients = $3::jsonb, steps = $4::jsonb, updated_at = $5
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, input.title, JSON.stringify(input.ingredients), JSON.stringify(input.steps), now()],
      );
      return rows[0] ? toRecipe(rows[0]) : null;
    },
    async setPublished(id, published) {
      if (!isRecipeId(id)) return null;
      const { rows } = await db.query<RecipeRow>(
        `UPDATE recipes SET published = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, published, now()],
      );
      return rows[0] ? toRecipe(rows[0]) : null;
    },
    async delete(id) {
      if (!isRecipeId(id)) return false;
      const { rows } = await db.query<{ id: string }>("DELETE FROM recipes WHERE id = $1 RETURNING id", [id]);
      return rows.length > 0;
    },
    async count() {
      const { rows } = await db.query<{ n: number | string }>("SELECT count(*) AS n FROM recipes");
      return Number(rows[0]?.n ?? 0);
    },
  };
}

function toRecipe(row: RecipeRow): Recipe {
  return {
    id: row.id,
    title: row.title,
    ingredients: parseList(row.ingredients),
    steps: parseList(row.steps),
    published: row.published,
    createdBy: { id: row.created_by },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

// pg returns jsonb parsed; some drivers hand back the JSON text.
function parseList(value: unknown): string[] {
  const list = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.map(String) : [];
}
