// docs/filters.md shows what the recipes list query becomes for each caller; keep it true.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createSecurityContext, type Identity, type Permission } from "gatehouse";
import { anyOf, toSql, type Filter } from "gatehouse/filter";
import { RecipePermissions } from "../../examples/recipes/shared/permissions.js";
import { FILTER_COLUMNS } from "../../examples/recipes/src/recipes/repository.js";

const PUBLISHED: Filter = { kind: "where", where: { op: "eq", field: "published", value: true } };

function setup() {
  const doc = readFileSync(new URL("../../docs/filters.md", import.meta.url), "utf8");
  const where = (identity: Identity | null, permissions: Permission[]) => {
    const perms = RecipePermissions.for(createSecurityContext({ identity, permissions }));
    return toSql(anyOf(PUBLISHED, perms.filter("recipe", "read")), { columns: FILTER_COLUMNS });
  };
  return { doc, where };
}

describe("docs/filters.md", () => {
  it.each<[string, Identity | null, Permission[]]>([
    ["anonymous", null, []],
    ["author `joe`", { id: "joe" }, [{ name: "recipes.recipe", own: true, rwd: "rwd", pw: "p" }]],
    ["reader", { id: "rita" }, [{ name: "recipes.recipe", rwd: "r" }]],
    ["editor", { id: "ed" }, [{ name: "recipes.*" }]],
  ])("shows the recipes list query of the %s", (caller, identity, permissions) => {
    const { doc, where } = setup();
    const { text, values } = where(identity, permissions);
    const row = doc.split("\n").find((line) => line.startsWith(`| ${caller} |`));
    expect(row, caller).toBeDefined();
    expect(row).toContain(`\`${text}\``);
    if (values.length > 0) expect(row).toContain(`with \`${JSON.stringify(values).replace(/,/g, ", ")}\``);
  });
});
