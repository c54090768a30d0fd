import { describe, expect, it } from "vitest";
import { serviceSummary, type Service } from "./service-summary.js";

const services: Service[] = [
  { name: "Postgres", pattern: /postgres/i, available: (env) => !!env.PG, howToEnable: "set PG=postgres://..." },
  { name: "Redis", pattern: /redis/i, available: (env) => !!env.REDIS, howToEnable: "set REDIS=redis://..." },
];

describe("serviceSummary", () => {
  const tests = [
    { fullName: "store.test.ts > roles [postgres] > creates", skipped: true },
    { fullName: "store.test.ts > roles [postgres] > deletes", skipped: true },
    { fullName: "store.test.ts > roles [pglite] > creates", skipped: false },
    { fullName: "redis.test.ts > redis adapters [redis] > counts", skipped: false },
  ];

  it("counts skipped tests of a service that is off and says how to enable it", () => {
    const lines = serviceSummary(tests, { REDIS: "redis://x" }, services);
    expect(lines[0]).toBe("Service-backed suites:");
    expect(lines[1]).toBe("  Postgres suites: skipped (2 tests; set PG=postgres://... to run them)");
    expect(lines[2]).toBe("  Redis suites: ran (1 tests)");
  });

  it("adds no hint when the service is on, even if some of its tests were skipped for other reasons", () => {
    expect(serviceSummary(tests, { PG: "postgres://x" }, services)[1]).toBe("  Postgres suites: ran (0 tests, 2 skipped)");
  });
});
