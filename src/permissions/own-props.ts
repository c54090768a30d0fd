/**
 * Reading permissions and items through their own properties only: a
 * property inherited from a polluted `Object.prototype` (`pw: "pu"`,
 * `createdBy`) must never grant anything.
 * @module
 */
import type { Permission } from "../core/types.js";
import type { OwnableItem } from "./types.js";

/**
 * Is `item` created by `identityId`? Own properties only: an inherited
 * `createdBy` (prototype pollution) makes nobody the owner. Anonymous owns
 * nothing; an item without a creator is nobody's.
 * @internal
 */
export function ownsItem(item: OwnableItem | null | undefined, identityId: string | undefined): boolean {
  if (identityId === undefined || item == null || typeof item !== "object") return false;
  const owner = ownProp(item, "createdBy");
  if (owner == null || typeof owner !== "object") return false;
  const id = ownProp(owner, "id");
  return typeof id === "string" && id === identityId;
}

/**
 * A permission's own property, never an inherited one: a polluted
 * `Object.prototype.pw = "pu"` must not grant publishing.
 * @internal
 */
export function ownProp(p: object, key: string): unknown {
  return Object.hasOwn(p, key) ? (p as Record<string, unknown>)[key] : undefined;
}

/** @internal */
export function isOwn(p: Permission): boolean {
  return ownProp(p, "own") === true;
}

/**
 * `own` absent, `true` or `false`. Any other value (`"true"`, `1`, `null`) is
 * malformed and the permission grants nothing: read as "not own" it would
 * open every record. @internal
 */
export function hasValidOwn(p: Permission): boolean {
  const own = ownProp(p, "own");
  return own === undefined || typeof own === "boolean";
}

/** No `rwd` property = unrestricted read/write/delete; a non-string value grants nothing. @internal */
export function hasLetter(p: Permission, key: "rwd", letter: string): boolean {
  if (!Object.hasOwn(p, key)) return true;
  const value = p[key];
  if (value === undefined) return true;
  return typeof value === "string" && value.includes(letter);
}

/** No `pw` property = no publishing. @internal */
export function hasPw(p: Permission, letter: "p" | "u"): boolean {
  const value = ownProp(p, "pw");
  return typeof value === "string" && value.includes(letter);
}
