// The clock edges of a token: `iat` is held to the clock like `nbf` (a token that
// says it was issued in the future, beyond the tolerance, is refused with or
// without maxTokenAgeSec), and the verified-token cache answers exactly as a
// full verification would at the edges of `exp`.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { jwtAuthenticator } from "gatehouse/jwt";

const ISS = "https://issuer.test/";
const AUD = "https://api.test";
const SECRET = "a-shared-secret-of-at-least-thirty-two-bytes";
const NOW = 1_800_000_000;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

function hs256(payload: object): string {
  const input = `${b64({ alg: "HS256" })}.${b64(payload)}`;
  return `${input}.${createHmac("sha256", SECRET).update(input).digest("base64url")}`;
}

describe("iat against the clock", () => {
  const authenticate = jwtAuthenticator({
    issuer: ISS, audience: AUD, algorithms: ["HS256"], secret: SECRET, clockToleranceSec: 5, currentDate: () => new Date(NOW * 1000),
  });
  const token = (iat: number) => hs256({ iss: ISS, aud: AUD, sub: "u1", iat, exp: NOW + 3600 });

  it("refuses a token issued beyond the tolerance in the future", async () => {
    await expect(authenticate({ token: token(NOW + 6) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token issue time invalid." });
    await expect(authenticate({ token: token(NOW + 3000) })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });

  it("accepts iat up to now + tolerance, and in the past", async () => {
    await expect(authenticate({ token: token(NOW + 5) })).resolves.toMatchObject({ id: "u1" });
    await expect(authenticate({ token: token(NOW - 86_400) })).resolves.toMatchObject({ id: "u1" });
  });
});

describe("verified-token cache at the exp edge", () => {
  it.each([0, 5])("refuses a cached token at exp + tolerance exactly, like a full verification (tolerance %i s)", async (tolerance) => {
    let nowMs = NOW * 1000;
    const options = { issuer: ISS, audience: AUD, algorithms: ["HS256"], secret: SECRET, clockToleranceSec: tolerance, currentDate: () => new Date(nowMs) };
    const cached = jwtAuthenticator(options);
    const uncached = jwtAuthenticator({ ...options, tokenCache: false });
    const token = hs256({ iss: ISS, aud: AUD, sub: "u1", iat: NOW, exp: NOW + 60 });
    await expect(cached({ token })).resolves.toMatchObject({ id: "u1" });

    nowMs = (NOW + 60 + tolerance) * 1000;
    await expect(uncached({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token expired." });
    await expect(cached({ token })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS", message: "Token expired." });
  });

  it("still serves a cached token one millisecond before that edge", async () => {
    let nowMs = NOW * 1000;
    const cached = jwtAuthenticator({ issuer: ISS, audience: AUD, algorithms: ["HS256"], secret: SECRET, clockToleranceSec: 0, currentDate: () => new Date(nowMs) });
    const token = hs256({ iss: ISS, aud: AUD, sub: "u1", iat: NOW, exp: NOW + 60 });
    const first = await cached({ token });
    nowMs = (NOW + 60) * 1000 - 1;
    expect(await cached({ token })).toBe(first);
  });
});
