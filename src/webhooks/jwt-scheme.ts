/**
 * `jwt`: a compact HS256 JWT (by default `Authorization: Bearer <token>`)
 * signed with the shared secret. Its payload binds the delivery:
 * `iat` (required), `exp` (optional), `jti` (replay id) and `body_sha256`
 * (hex SHA-256 of the raw body), so a captured token cannot carry another body.
 * Written by hand on node:crypto (no runtime dependency) and pinned to HS256:
 * the protected header must be exactly `{"alg":"HS256"}` plus an optional
 * `"typ":"JWT"`, so `none`, RS256 key-confusion and `crit` tricks never apply.
 * @internal
 * @module
 */
import { constantTimeEqual, matchSecret } from "./constant-time.js";
import { decodeBase64Url, fail, requireHeader, utf8 } from "./input.js";
import { hmac, replayKey, sha256Hex, textKey, unixSeconds, type SchemeImpl } from "./scheme.js";

interface TokenParts {
  signingInput: string;
  header: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
}

function splitToken(value: string, fromAuthorization: boolean): TokenParts {
  const bearer = /^Bearer +(\S+)$/i.exec(value);
  if (fromAuthorization && bearer === null) fail("malformed_header", "Webhook token must be sent as `Bearer <token>`.");
  const token = bearer?.[1] ?? value;
  const segments = token.split(".");
  if (segments.length !== 3) fail("malformed_header", "Webhook token is not a compact JWT.");
  const [h, p, s] = segments as [string, string, string];
  const header = decodeBase64Url(h);
  const payload = decodeBase64Url(p);
  const signature = decodeBase64Url(s);
  if (header === undefined || payload === undefined || signature === undefined) {
    fail("malformed_header", "Webhook token is not valid base64url.");
  }
  return { signingInput: `${h}.${p}`, header, payload, signature };
}

function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    fail("malformed_header", "Webhook token contains invalid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("malformed_header", "Webhook token contains invalid JSON.");
  }
  return value as Record<string, unknown>;
}

/** Algorithm allowlist, checked before any signature work (jose order). */
function assertHs256Header(bytes: Uint8Array): void {
  const header = parseJsonObject(bytes);
  const keys = Object.keys(header);
  const onlyKnown = keys.every((k) => k === "alg" || k === "typ");
  if (header.alg !== "HS256" || !onlyKnown || ("typ" in header && header.typ !== "JWT")) {
    fail("invalid_signature", "Webhook token must use HS256.");
  }
}

function numericDate(value: unknown, required: boolean): Date | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    fail("malformed_header", "Webhook token claims `iat`/`exp` must be numeric dates.");
  }
  return new Date(Math.floor(value) * 1000);
}

/** @internal */
export const jwtScheme: SchemeImpl = {
  defaultHeader: "authorization",
  key: textKey,
  verify({ body, read, keys, signatureHeader }) {
    const parts = splitToken(requireHeader(read, signatureHeader), signatureHeader.toLowerCase() === "authorization");
    assertHs256Header(parts.header);
    const expected = keys.map((key) => hmac("sha256", key, parts.signingInput));
    const secretIndex = matchSecret(expected, [parts.signature]);
    if (secretIndex === -1) fail("invalid_signature", "Webhook token signature does not match.");

    // Claims are read only now that the signature is known to be genuine.
    const claims = parseJsonObject(parts.payload);
    if (typeof claims.body_sha256 !== "string") fail("malformed_header", "Webhook token has no `body_sha256` claim.");
    if (!constantTimeEqual(utf8(claims.body_sha256.toLowerCase()), utf8(sha256Hex(body)))) {
      fail("body_hash_mismatch", "Webhook body does not match the token's `body_sha256`.");
    }
    if (claims.jti !== undefined && (typeof claims.jti !== "string" || claims.jti === "")) {
      fail("malformed_header", "Webhook token claim `jti` must be a non-empty string.");
    }
    const id = claims.jti as string | undefined;
    return {
      secretIndex,
      ...(id !== undefined && { id }),
      timestamp: numericDate(claims.iat, true)!,
      ...(claims.exp !== undefined && { expiresAt: numericDate(claims.exp, false)! }),
      replayKey: id !== undefined ? replayKey("jwt", "jti", id) : replayKey("jwt", "sig", expected[secretIndex]!),
    };
  },
  sign(body, key, { timestamp, id }) {
    const iat = unixSeconds(timestamp);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    // exp bounds the token's life for receivers that do not enforce an iat tolerance.
    const claims = { iat, exp: iat + 300, jti: id, body_sha256: sha256Hex(body) };
    const signingInput = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
    const signature = hmac("sha256", key, signingInput).toString("base64url");
    return { authorization: `Bearer ${signingInput}.${signature}` };
  },
};
