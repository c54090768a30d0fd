import type * as nodeCrypto from "node:crypto";
import { timingSafeEqual } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { verifyWebhook } from "gatehouse/webhooks";
import { constantTimeEqual, matchSecret } from "../../src/webhooks/constant-time.js";

// Pass-through spy on node:crypto's timingSafeEqual, to see the library call it.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof nodeCrypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

beforeEach(() => {
  vi.mocked(timingSafeEqual).mockClear();
});

function setup() {
  const compare = vi.fn((a: Uint8Array, b: Uint8Array) => timingSafeEqual(a, b));
  const bytes = (text: string) => new TextEncoder().encode(text);
  return { compare, bytes };
}

describe("constantTimeEqual", () => {
  it("uses node:crypto timingSafeEqual by default", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  it("is what verifyWebhook compares signatures with, on equal-length buffers", async () => {
    const verify = verifyWebhook("sha256", {
      payload: "{}",
      headers: { "x-webhook-signature": "sha256=00" }, // 1 byte against a 32-byte HMAC
      secrets: ["one", "two"],
      replayStore: false,
    });
    await expect(verify).rejects.toMatchObject({ reason: "invalid_signature" });
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    for (const [a, b] of vi.mocked(timingSafeEqual).mock.calls) {
      expect((a as Uint8Array).byteLength).toBe((b as Uint8Array).byteLength);
    }
  });

  it("compares equal inputs as equal through the injected timingSafeEqual", () => {
    const { compare, bytes } = setup();
    expect(constantTimeEqual(bytes("signature"), bytes("signature"), compare)).toBe(true);
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it("hands timingSafeEqual equal-length buffers even when the inputs' lengths differ", () => {
    const { compare, bytes } = setup();
    expect(constantTimeEqual(bytes("short"), bytes("a much longer candidate signature"), compare)).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), bytes("x"), compare)).toBe(false);
    // No early return on length: the constant-time comparison ran both times, on 32-byte digests.
    expect(compare).toHaveBeenCalledTimes(2);
    for (const [a, b] of compare.mock.calls) {
      expect(a.byteLength).toBe(32);
      expect(b.byteLength).toBe(32);
    }
  });

  it("detects a difference in the last byte", () => {
    const { compare } = setup();
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]), compare)).toBe(false);
    expect(compare).toHaveBeenCalledTimes(1);
  });
});

describe("matchSecret", () => {
  it("returns the first matching secret's index", () => {
    const { bytes } = setup();
    expect(matchSecret([bytes("a"), bytes("b"), bytes("b")], [bytes("x"), bytes("b")])).toBe(1);
    expect(matchSecret([bytes("a")], [bytes("x")])).toBe(-1);
    expect(matchSecret([bytes("a")], [])).toBe(-1);
  });

  it("compares every secret against every candidate, with no early exit on a match", () => {
    const { compare, bytes } = setup();
    expect(matchSecret([bytes("a"), bytes("b"), bytes("c")], [bytes("a"), bytes("z")], compare)).toBe(0);
    expect(compare).toHaveBeenCalledTimes(6);
  });
});
