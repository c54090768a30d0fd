import { describe, expect, it } from "vitest";
import { splitStatements } from "../../src/store/migrate.js";

describe("splitStatements", () => {
  it("splits on top-level semicolons only", () => {
    const sql = `CREATE TABLE a (x text DEFAULT ';');
-- a comment; with a semicolon
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
/* block; */ SELECT "we;ird" FROM a;
`;
    expect(splitStatements(sql)).toEqual([
      "CREATE TABLE a (x text DEFAULT ';')",
      "-- a comment; with a semicolon\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
      '/* block; */ SELECT "we;ird" FROM a',
    ]);
  });

  it("drops empty and comment-only pieces", () => {
    expect(splitStatements(";;\n-- only a comment\n")).toEqual([]);
    expect(splitStatements("SELECT $1::text; SELECT $tag$;$tag$")).toEqual(["SELECT $1::text", "SELECT $tag$;$tag$"]);
  });
});
