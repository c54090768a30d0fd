/**
 * `gatehouse/filter`: row filters — which rows of a list a caller may see —
 * rendered as SQL for Postgres / PGlite (`toSql`) or as an in-memory
 * predicate (`toPredicate`). Filters come from
 * `RecipePermissions.for(ctx).filter(entity, action)` or
 * `engine.plan(...)`. No runtime dependencies.
 * @module
 */
export { toSql } from "./sql.js";
export { toPredicate } from "./predicate.js";
export { allOf, anyOf } from "./build.js";
export type { Filter, Condition, ToSqlOptions, SqlFragment } from "./types.js";
