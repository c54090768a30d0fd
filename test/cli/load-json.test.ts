import { describe, expect, it } from "vitest";
import { jsonErrorOffset } from "../../src/cli/json-error-offset.js";
import { lineColumn, parseJsonText, readJsonFile } from "../../src/cli/load-json.js";
import { fixtures } from "./built-cli.js";

describe("jsonErrorOffset", () => {
  it.each([
    ['{"a": [1, 2.5e3, "x\\n", true, false, null], "b": {}}', null],
    ["  [ ]  ", null],
    ['{"a": 1,}', 8],
    ['{"a": x}', 6],
    ["[1, 2", 5],
    ["[1] 2", 4],
    ['{"a" 1}', 5],
    ["01", 1],
    ['"\u0001"', 0],
  ])("%j -> %s", (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});

describe("parseJsonText", () => {
  it("parses valid JSON", () => {
    expect(parseJsonText('{"a":1}', "f.json")).toEqual({ a: 1 });
  });

  it("names the file, line and column, and never echoes the content", () => {
    expect(() => parseJsonText('{\n  "token": "s3cr3t",\n  "b": nope\n}', "f.json")).toThrow(
      /^f\.json: invalid JSON at line 3, column 8: Unexpected token '.'\.$/,
    );
    expect(() => parseJsonText('{\n  "token": "s3cr3t",\n  "b": nope\n}', "f.json")).not.toThrow(/s3cr3t/);
  });

  it("says when the file is empty", () => {
    expect(() => parseJsonText(" \n", "f.json")).toThrow("f.json: invalid JSON: the file is empty.");
  });
});

describe("readJsonFile / lineColumn", () => {
  it("reads a fixture", () => {
    expect(readJsonFile(fixtures, "context.json", "context file")).toMatchObject({ user: { id: "u1" } });
  });

  it("says a directory is not a file", () => {
    expect(() => readJsonFile(fixtures, ".", "policy file")).toThrow(/policy file \.: is a directory/);
  });

  it("counts lines and columns from 1", () => {
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn("ab", 0)).toEqual({ line: 1, column: 1 });
  });
});
