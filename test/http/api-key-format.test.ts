import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKeySecret, parseApiKey, verifyApiKeySecret } from "gatehouse/http";

describe("generateApiKey", () => {
  it("makes <prefix>_<id>_<secret> with base62 parts and a sha256 hash of the secret", () => {
    const k = generateApiKey();
    expect(k.id).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(k.secret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(k.key).toBe(`gh_${k.id}_${k.secret}`);
    expect(k.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(k.hash).toBe(hashApiKeySecret(k.secret));
  });

  it("is random and honours a custom prefix", () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey({ prefix: "acme" }).key));
    expect(keys.size).toBe(200);
    expect([...keys].every((k) => k.startsWith("acme_"))).toBe(true);
  });

  it.each(["", "GH", "a_b", "1ab", "x".repeat(17)])("rejects prefix %j", (prefix) => {
    expect(() => generateApiKey({ prefix })).toThrow(TypeError);
  });
});

describe("parseApiKey", () => {
  it("round-trips a generated key", () => {
    const k = generateApiKey();
    expect(parseApiKey(k.key)).toEqual({ prefix: "gh", id: k.id, secret: k.secret });
  });

  it.each([
    ["wrong prefix", "xx_abcdefgh_abcdefghijklmnop"],
    ["too few parts", "gh_abcdefghabcdefghijklmnop"],
    ["too many parts", "gh_abcdefgh_abcdefgh_ijklmnop"],
    ["short id", "gh_abc_abcdefghijklmnop"],
    ["short secret", "gh_abcdefgh_abc"],
    ["non-base62", "gh_abcdefgh_abcdefghijklmn-p"],
    ["too long", `gh_abcdefgh_${"a".repeat(300)}`],
    ["not a string", 42],
  ])("returns null for %s", (_name, key) => {
    expect(parseApiKey(key as string)).toBeNull();
  });
});

describe("verifyApiKeySecret", () => {
  it("accepts the right secret and rejects a wrong one", () => {
    const k = generateApiKey();
    expect(verifyApiKeySecret(k.secret, k.hash)).toBe(true);
    expect(verifyApiKeySecret(`${k.secret}x`, k.hash)).toBe(false);
    expect(verifyApiKeySecret(k.secret, hashApiKeySecret("other"))).toBe(false);
  });

  it.each(["", "sha256:abc", "md5:0000", `sha256:${"G".repeat(64)}`, `SHA256:${"0".repeat(64)}`, null])("returns false, without throwing, for stored hash %j", (stored) => {
    expect(verifyApiKeySecret("secret", stored as string)).toBe(false);
  });
});
