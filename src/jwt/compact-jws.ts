import { isUtf8 } from "node:buffer";
import { InvalidCredentialsError } from "../core/index.js";

/** The header parameters the verifier reads; everything else in the header is ignored. @internal */
export interface JwsHeader {
  readonly alg: string;
  readonly kid: string | undefined;
}

/** A compact JWS split and decoded, not yet verified. @internal */
export interface ParsedJws {
  header: JwsHeader;
  /** The claims, parsed from the unverified payload: read nothing from it before the signature holds, except `iss` to route. */
  payload: Record<string, unknown>;
  /** `<header>.<payload>` exactly as received: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

/** Longest token accepted; larger ones are refused before any decoding. */
export const MAX_TOKEN_LENGTH = 16_384;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
// What follows the header: the payload and the signature. An empty signature is well-formed
// (an unsecured JWS); the algorithm allowlist refuses it.
const PAYLOAD_AND_SIGNATURE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
// The last character of a canonical base64url string leaves its unused low bits zero:
// with 2 characters left over 4 bits are unused, with 3 left over 2 bits.
const LAST_OF_2 = /[AQgw]$/;
const LAST_OF_3 = /[AEIMQUYcgkosw048]$/;
const HEADER_MEMO_MAX = 128;
const HEADER_MEMO_MAX_LENGTH = 1024;

const malformed = (message = "Malformed token."): never => {
  throw new InvalidCredentialsError(message);
};

/**
 * Headers repeat across tokens (one per issuer key), so their validation is
 * remembered by the exact segment text. It is a pure function of that text:
 * the signature and every claim are still checked on each token.
 */
const headerMemo = new Map<string, JwsHeader>();

/**
 * Splits and decodes a compact JWS strictly: three base64url
 * segments (header and payload non-empty) in canonical form (no padding, no whitespace, no stray bits),
 * UTF-8 JSON objects without duplicate members or `__proto__`, and a
 * header without `crit` or `b64` (no extension is understood, so none may
 * be required). Nothing is verified here.
 * @throws InvalidCredentialsError (`INVALID_CREDENTIALS`) for any deviation; the message never holds the token.
 * @internal
 */
export function parseCompactJws(token: string): ParsedJws {
  if (token.length > MAX_TOKEN_LENGTH) malformed();
  const first = token.indexOf(".");
  if (first < 0) malformed();
  const headerSegment = token.slice(0, first);
  // Only segments that passed every header check are remembered, so a remembered one needs none of them again.
  const remembered = headerMemo.get(headerSegment);
  if (remembered === undefined && !SEGMENT.test(headerSegment)) malformed();
  const rest = token.slice(first + 1);
  if (!PAYLOAD_AND_SIGNATURE.test(rest)) malformed();
  const header = remembered ?? parseHeader(headerSegment);
  const second = first + 1 + rest.indexOf(".");
  const payload = decodeJsonObject(token.slice(first + 1, second));
  const signatureSegment = token.slice(second + 1);
  if (!isCanonical(signatureSegment)) malformed();
  return { header, payload, signingInput: token.slice(0, second), signature: Buffer.from(signatureSegment, "base64url") };
}

function parseHeader(segment: string): JwsHeader {
  const raw = decodeJsonObject(segment);
  // RFC 7515 §4.1.11: a recipient must refuse critical extensions it does not understand; this one understands none.
  if (raw.crit !== undefined) malformed("Token header not supported.");
  // RFC 7797 unencoded payloads are not JWTs (RFC 7519 §7.2 requires the encoded form).
  if (raw.b64 !== undefined && raw.b64 !== true) malformed("Token header not supported.");
  if (typeof raw.alg !== "string" || raw.alg === "") malformed();
  if (raw.kid !== undefined && typeof raw.kid !== "string") malformed();
  const header: JwsHeader = Object.freeze({ alg: raw.alg as string, kid: raw.kid as string | undefined });
  if (segment.length <= HEADER_MEMO_MAX_LENGTH) {
    // Bounded: a flood of distinct headers only empties the memo, it never grows it.
    if (headerMemo.size >= HEADER_MEMO_MAX) headerMemo.clear();
    headerMemo.set(segment, header);
  }
  return header;
}

function isCanonical(segment: string): boolean {
  switch (segment.length % 4) {
    case 0:
      return true;
    case 2:
      return LAST_OF_2.test(segment);
    case 3:
      return LAST_OF_3.test(segment);
    default:
      return false;
  }
}

function decodeJsonObject(segment: string): Record<string, unknown> {
  if (!isCanonical(segment)) malformed();
  const bytes = Buffer.from(segment, "base64url");
  if (!isUtf8(bytes)) malformed();
  const text = bytes.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return malformed();
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) malformed();
  // JSON.parse keeps the last of duplicate members; another parser may keep the first. Refuse both readings.
  if (countMembers(value as object) !== countKeyTokens(text)) malformed();
  return value as Record<string, unknown>;
}

/**
 * Own members of every object in a parsed JSON value, walked without
 * recursion (a deeply nested token cannot exhaust the stack). `__proto__`
 * anywhere is refused: a later `Object.assign` would turn it into a prototype.
 */
function countMembers(root: object): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === "object") stack.push(item);
      continue;
    }
    for (const key in value) {
      if (key === "__proto__") malformed();
      count++;
      const item = (value as Record<string, unknown>)[key];
      if (item !== null && typeof item === "object") stack.push(item);
    }
  }
  return count;
}

/**
 * Member names in valid JSON text: strings followed by `:`. Escaped names
 * (`"s\u0075b"`) count too, so a duplicate cannot hide behind an escape.
 */
function countKeyTokens(text: string): number {
  let count = 0;
  let i = 0;
  for (;;) {
    const open = text.indexOf('"', i);
    if (open < 0) return count;
    let close = text.indexOf('"', open + 1);
    // A quote preceded by an odd run of backslashes is escaped, not the end of the string.
    while (isEscaped(text, close)) close = text.indexOf('"', close + 1);
    i = close + 1;
    let c = text.charCodeAt(i);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++i);
    if (c === 0x3a) count++;
  }
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
  return backslashes % 2 === 1;
}
