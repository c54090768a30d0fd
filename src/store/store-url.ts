import { fileURLToPath } from "node:url";

/** Where a store lives, parsed from `StoreOptions.url`. @internal */
export type StoreTarget =
  | { kind: "memory" }
  | { kind: "directory"; path: string }
  | { kind: "postgres"; url: string };

const ACCEPTED =
  'accepted: undefined or "memory://" (PGlite in memory), a directory path or "file://<dir>" (PGlite on disk), ' +
  '"postgres://..." or "postgresql://..." (Postgres)';

/**
 * Parses the store URL. Never echoes the URL back: it may hold a password.
 * @throws TypeError when the URL is not one of the accepted forms.
 * @internal
 */
export function parseStoreUrl(url: string | undefined): StoreTarget {
  if (url === undefined || url === "memory://") return { kind: "memory" };
  if (typeof url !== "string" || url.trim() === "") throw new TypeError(`createStore: invalid url; ${ACCEPTED}.`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "postgres" || scheme === "postgresql") {
    try {
      new URL(url);
    } catch {
      throw new TypeError(`createStore: the Postgres url is malformed; ${ACCEPTED}.`);
    }
    return { kind: "postgres", url };
  }
  if (scheme === "file") {
    try {
      return { kind: "directory", path: fileURLToPath(url) };
    } catch {
      throw new TypeError(`createStore: the file:// url is malformed; ${ACCEPTED}.`);
    }
  }
  if (scheme !== undefined) throw new TypeError(`createStore: unsupported url scheme "${scheme}://"; ${ACCEPTED}.`);
  return { kind: "directory", path: url };
}

/** A Postgres URL without its password, for error messages. @internal */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "(unparseable url)";
  }
}

/** Removes `secret` from `text`, so a driver message can never leak the password. @internal */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join("***") : text;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates a Postgres schema name; only plain lower-case identifiers, so it can be quoted safely.
 * @throws TypeError saying what a valid name looks like.
 * @internal
 */
export function assertSchemaName(schema: string): string {
  if (typeof schema !== "string" || !IDENTIFIER.test(schema)) {
    throw new TypeError("createStore: schema must be a lower-case identifier (a-z, 0-9, _; starting with a letter or _; at most 63 chars).");
  }
  return schema;
}
