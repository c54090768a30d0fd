import { InvalidCredentialsError, type Authenticator, type Credentials, type Identity } from "../core/index.js";
import { authenticatorWithSyncPath, isPromiseLike, type PromiseOrValue } from "../core/sync-path.js";
import { hasMalformedCredentials } from "./credentials.js";
import { hashApiKeySecret, parseApiKey, resolvePrefix, verifyApiKeySecret, type ParsedApiKey } from "./api-key-format.js";

/** What `lookup` returns for a key id: the stored hash and the identity the key stands for. */
export interface ApiKeyRecord {
  id: string;
  /** `sha256:<hex>` from `generateApiKey` / `hashApiKeySecret`. */
  hash: string;
  identity: Identity;
  revoked?: boolean;
  /** An unparseable date counts as expired. */
  expiresAt?: Date | string | null;
}

/** Options for {@link apiKeyAuthenticator}. */
export interface ApiKeyAuthenticatorOptions {
  /** Finds a key by id; `null` when unknown. */
  lookup: (id: string) => Promise<ApiKeyRecord | null>;
  /** Expected key prefix. @default "gh" */
  prefix?: string;
  /** Clock for expiry checks. @default () => new Date() */
  currentDate?: () => Date;
}

/** One message for every failure, so responses are no oracle for which ids exist. */
const INVALID_KEY = "Invalid API key.";
// Compared against for unknown ids so they cost the same hash and compare as known ones.
const DUMMY_HASH = hashApiKeySecret("gatehouse-dummy-secret");

/**
 * Authenticates `X-API-Key: <prefix>_<id>_<secret>`. No API key → `null`.
 * @throws InvalidCredentialsError (`INVALID_CREDENTIALS`), with the same message,
 *   for a malformed, unknown, revoked or expired key or a wrong secret.
 * @example
 * const apiKeys = apiKeyAuthenticator({ lookup: (id) => store.apiKeys.lookup(id) });
 * createSecurity({ authenticators: [jwt, apiKeys] });
 */
export function apiKeyAuthenticator(options: ApiKeyAuthenticatorOptions): Authenticator {
  if (!options || typeof options.lookup !== "function") throw new TypeError("apiKeyAuthenticator: `lookup` must be a function (id) => Promise<ApiKeyRecord | null>.");
  const prefix = resolvePrefix(options.prefix, "apiKeyAuthenticator");
  const currentDate = options.currentDate ?? (() => new Date());
  const lookup = options.lookup;

  /** Decides the key once its record is known. */
  const check = (parsed: ParsedApiKey, record: ApiKeyRecord | null): Identity => {
    const known = record !== null && typeof record === "object" && record.id === parsed.id;
    const secretOk = verifyApiKeySecret(parsed.secret, known ? record.hash : DUMMY_HASH);
    if (!known || !secretOk || record.revoked === true || isExpired(record.expiresAt, currentDate())) {
      throw new InvalidCredentialsError(INVALID_KEY);
    }
    const identity = record.identity;
    if (!identity || typeof identity.id !== "string" || identity.id === "") throw new InvalidCredentialsError(INVALID_KEY);
    return { type: "apiKey", ...identity };
  };

  // Synchronous up to `lookup`: a request without an API key passes on at once, so an authenticator
  // chained after this one is not made to wait; a key waits only as long as `lookup` makes it.
  const verify = (credentials: Credentials): PromiseOrValue<Identity | null> => {
    if (credentials?.apiKey === undefined) {
      if (hasMalformedCredentials(credentials) && (credentials as { malformed: string[] }).malformed.includes("x-api-key")) {
        throw new InvalidCredentialsError(INVALID_KEY);
      }
      return null;
    }
    const parsed = parseApiKey(credentials.apiKey, { prefix });
    if (!parsed) throw new InvalidCredentialsError(INVALID_KEY);
    let record: PromiseOrValue<ApiKeyRecord | null>;
    try {
      record = lookup(parsed.id);
    } catch (error) {
      throw lookupFailure(error);
    }
    if (!isPromiseLike(record)) return check(parsed, record);
    return Promise.resolve(record).then(
      (found) => check(parsed, found),
      (error: unknown) => {
        throw lookupFailure(error);
      },
    );
  };

  return authenticatorWithSyncPath(verify);
}

function lookupFailure(error: unknown): InvalidCredentialsError {
  return new InvalidCredentialsError("API key could not be verified.", { cause: error });
}

function isExpired(expiresAt: Date | string | null | undefined, now: Date): boolean {
  if (expiresAt === undefined || expiresAt === null) return false;
  const time = expiresAt instanceof Date ? expiresAt.getTime() : Date.parse(expiresAt);
  return !Number.isFinite(time) || time <= now.getTime();
}
