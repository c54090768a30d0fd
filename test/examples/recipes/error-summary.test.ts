import { describe, expect, it } from "vitest";
import { summarizeError } from "../../../examples/recipes/src/http/error-summary.js";

describe("summarizeError", () => {
  it("keeps name, code and message of a driver error and drops its query, params and detail", () => {
    const error = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: "22021",
      query: "SELECT * FROM gatehouse_users WHERE lower(username) = lower($1)",
      params: ["SECRET-PARAM"],
      detail: "Key (username)=(SECRET-PARAM) already exists.",
      cause: new Error("SECRET-PARAM"),
    });
    const summary = summarizeError(error);
    expect(summary).toEqual({ name: "Error", code: "22021", message: 'invalid byte sequence for encoding "UTF8": 0x00' });
    expect(JSON.stringify(summary)).not.toContain("SECRET-PARAM");
  });

  it("turns a numeric code into a string and leaves out a missing or non-scalar one", () => {
    expect(summarizeError(Object.assign(new TypeError("bad"), { code: 7 }))).toEqual({ name: "TypeError", code: "7", message: "bad" });
    expect(summarizeError(new RangeError("big"))).toEqual({ name: "RangeError", message: "big" });
    expect(summarizeError(Object.assign(new Error("x"), { code: { secret: "SECRET-PARAM" } }))).toEqual({ name: "Error", message: "x" });
  });

  it("summarises a GraphQL error by the driver error it wraps", () => {
    const driver = Object.assign(new Error('relation "recipes" does not exist'), { code: "42P01", params: ["SECRET-PARAM"] });
    const wrapped = Object.assign(new Error(driver.message), { name: "GraphQLError", originalError: driver });
    expect(summarizeError(wrapped)).toEqual({ name: "Error", code: "42P01", message: 'relation "recipes" does not exist' });
  });

  it("bounds a long message", () => {
    expect(summarizeError(new Error("m".repeat(10_000))).message).toHaveLength(500);
  });

  it.each([["a string", "SECRET-PARAM"], ["an object", { params: ["SECRET-PARAM"] }], ["null", null], ["undefined", undefined]])(
    "says nothing about the content of %s thrown as an error",
    (_name, value) => {
      const summary = summarizeError(value);
      expect(summary.message).toBe("A non-Error value was thrown.");
      expect(JSON.stringify(summary)).not.toContain("SECRET-PARAM");
    },
  );
});
