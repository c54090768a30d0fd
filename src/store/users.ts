import { randomUUID } from "node:crypto";
import type { StoreContext } from "./changes.js";
import { StoreInputError, translateDbError } from "./errors.js";
import { checkPassword, dummyCheck, hashPassword } from "./password.js";
import { normalizeUsername } from "./username.js";
import type { User, UsersApi } from "./types.js";
import { assertText } from "./validate.js";

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  created_at: Date;
}
interface SecretRow extends UserRow {
  password_hash: string;
  password_salt: string;
  scrypt_n: number;
  scrypt_r: number;
  scrypt_p: number;
  scrypt_keylen: number;
}

const COLUMNS = "id, username, display_name, email, created_at";
const USERNAME = /^[\w.@+-]{1,100}$/;

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, displayName: row.display_name, email: row.email, createdAt: row.created_at };
}

/**
 * Postgres refuses NUL in text (SQLSTATE 22021), so a lookup key holding one would fail the
 * query instead of finding nothing. No stored name or id can contain it: treat it as not found.
 */
function isLookupKey(value: unknown): value is string {
  return typeof value === "string" && !value.includes("\u0000");
}

function checkUsername(value: unknown): string {
  if (typeof value !== "string" || !USERNAME.test(value)) {
    throw new StoreInputError("username must be 1-100 characters: letters, digits, and . _ @ + -.");
  }
  return value;
}

/** Users for the example app: scrypt hashes with per-row parameters, never returned. @internal */
export function createUsersApi(ctx: StoreContext): UsersApi {
  const { db } = ctx;
  return {
    async create(input) {
      const username = checkUsername(input?.username);
      const displayName = assertText(input.displayName, "displayName");
      const email = input.email === undefined || input.email === null ? null : assertText(input.email, "email", 320);
      if (typeof input.password !== "string" || input.password.length < 8 || input.password.length > 1024) {
        throw new StoreInputError("password must be a string of 8 to 1024 characters.");
      }
      const h = await hashPassword(input.password, ctx.scrypt);
      const id = randomUUID();
      return ctx.mutate(async (tx) => {
        const { rows } = await tx
          .query<UserRow>(
            `INSERT INTO gatehouse_users (id, username, display_name, email, password_hash, password_salt,
               scrypt_n, scrypt_r, scrypt_p, scrypt_keylen, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
            [id, username, displayName, email, h.hash, h.salt, h.N, h.r, h.p, h.keylen, ctx.now()],
          )
          .catch((e: unknown) => translateDbError(e, "A user with that username"));
        return { result: toUser(rows[0]!), changes: [{ kind: "user", id }] };
      });
    },

    async get(idOrUsername) {
      if (!isLookupKey(idOrUsername)) return null;
      const { rows } = await db.query<UserRow>(
        // Stored names are ASCII, so lower() is their normalised spelling; the input goes through normalizeUsername.
        `SELECT ${COLUMNS} FROM gatehouse_users WHERE id = $1 OR lower(username) = $2 ORDER BY (id = $1) DESC LIMIT 1`,
        [idOrUsername, normalizeUsername(idOrUsername)],
      );
      return rows[0] ? toUser(rows[0]) : null;
    },

    async verifyPassword(username, password) {
      if (typeof password !== "string") password = "";
      // An unusable username still pays for one scrypt check below, like any unknown user.
      const { rows } = isLookupKey(username)
        ? // The same normalisation as the login limiter's key: one name, one limit.
          await db.query<SecretRow>("SELECT * FROM gatehouse_users WHERE lower(username) = $1", [normalizeUsername(username)])
        : { rows: [] as SecretRow[] };
      const row = rows[0];
      if (!row) {
        await dummyCheck(password, ctx.scrypt);
        return null;
      }
      const ok = await checkPassword(password, {
        hash: row.password_hash,
        salt: row.password_salt,
        N: row.scrypt_n,
        r: row.scrypt_r,
        p: row.scrypt_p,
        keylen: row.scrypt_keylen,
      });
      return ok ? toUser(row) : null;
    },

    async list() {
      const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM gatehouse_users ORDER BY lower(username)`);
      return rows.map(toUser);
    },
  };
}
