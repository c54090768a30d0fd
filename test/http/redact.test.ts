import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { redactPaths } from "gatehouse/http";

describe("redactPaths", () => {
  it("makes pino drop credential headers", () => {
    const lines: string[] = [];
    const logger = pino({ redact: { paths: [...redactPaths], censor: "[REDACTED]" } }, { write: (line: string) => void lines.push(line) });
    logger.info({ req: { headers: { authorization: "Bearer secret-token", "x-api-key": "gh_a_secret", cookie: "sid=secret", accept: "*/*" } } });
    expect(lines.join("")).not.toContain("secret");
    expect(lines.join("")).toContain("*/*");
  });
});
