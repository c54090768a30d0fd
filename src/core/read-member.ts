/**
 * Reading one member of a value the way policies and row filters both do,
 * so that a row filter planned from policies reads a row exactly as the
 * policies judge it.
 * @module
 */

/** Built-in prototypes whose members (or polluted additions) must never be read as data. */
const BUILTIN_PROTOTYPES: ReadonlySet<unknown> = new Set([Object.prototype, Array.prototype, Function.prototype]);

/**
 * `target[key]` when `key` is an own property, or an inherited one that a
 * class of the caller's own defines (e.g. a getter of an ORM entity or an
 * identity class); never a member of a built-in prototype, so a polluted
 * `Object.prototype.isAdmin` never supplies a value. `undefined` otherwise.
 * `target` must be a non-null object.
 * @internal
 */
export function readMember(target: object, key: string): unknown {
  if (Object.hasOwn(target, key)) return (target as Record<string, unknown>)[key];
  let proto: unknown = Object.getPrototypeOf(target);
  while (proto !== null && !BUILTIN_PROTOTYPES.has(proto)) {
    if (Object.hasOwn(proto as object, key)) return (target as Record<string, unknown>)[key];
    proto = Object.getPrototypeOf(proto);
  }
  return undefined;
}
