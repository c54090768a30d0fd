import { useEffect, useState } from "react";
import type { SecurityContext } from "../core/index.js";
import type { EntityId, OwnableItem, PermissionsDefinition, PermissionsSchema } from "../permissions/index.js";
import { checkAction, itemKey } from "./check-action.js";
import type { AnyPermissionsDefinition, CanAction } from "./check-action.js";
import { useSecurityValue } from "./use-security.js";

/** @internal Parsed arguments of either `useCan` form. */
export interface CanRequest {
  definition?: AnyPermissionsDefinition | undefined;
  entity: string;
  action: string;
  item?: OwnableItem | null | undefined;
}

/**
 * Whether the current identity may do `action` on `entity` (and `item`), by the
 * very same schema the server enforces.
 *
 * Returns `undefined` while the (Promise-based) check resolves, then `true` or
 * `false`. Treat anything but `true` as "no": that way allowed content never
 * flashes. A check that throws denies (and is reported to the provider's `onError`).
 * The item is compared by what checks read from it (`createdBy.id`), so passing a
 * fresh object with the same owner does not re-run the check.
 *
 * Short form `useCan(entity, action, item?)` uses the provider's `definition`.
 * @throws Error outside `<SecurityProvider>`; TypeError for the short form without a provider `definition`.
 * @example
 * const canEdit = useCan(RecipePermissions, "recipe", "edit", recipe);
 * const canEdit2 = useCan("recipe", "edit", recipe); // <SecurityProvider definition={RecipePermissions}>
 */
export function useCan<S extends PermissionsSchema, E extends EntityId<S>>(
  definition: PermissionsDefinition<S>,
  entity: E,
  action: CanAction<S, E>,
  item?: OwnableItem | null,
): boolean | undefined;
export function useCan(entity: string, action: string, item?: OwnableItem | null): boolean | undefined;
export function useCan(...args: unknown[]): boolean | undefined {
  return useCanRequest(parseCanArgs(args));
}

/** @internal Shared by `useCan` and `<Can>`. */
export function useCanRequest(request: CanRequest): boolean | undefined {
  const { context, definition: fallback, onError } = useSecurityValue();
  const definition = request.definition ?? fallback;
  if (definition === undefined) {
    throw new TypeError(
      `gatehouse/react: no permission schema for "${request.entity}". Pass \`definition\` to <SecurityProvider> or to useCan/<Can>.`,
    );
  }
  const key = [objectId(context), objectId(definition), request.entity, request.action, itemKey(request.item)].join("\u0000");
  const [result, setResult] = useState<{ key: string; allowed: boolean } | null>(null);

  useEffect(() => {
    let current = true;
    run(definition, context, request).then(
      (allowed) => current && setResult({ key, allowed }),
      (error: unknown) => {
        if (!current) return;
        // Fail closed: a check that throws denies.
        setResult({ key, allowed: false });
        onError?.(error);
      },
    );
    return () => {
      current = false;
    };
    // `key` captures every input the check reads; the closure holds this render's item.
  }, [key]);

  // A result computed for other inputs (previous user, other item) is never reused.
  return result !== null && result.key === key ? result.allowed : undefined;
}

function run(definition: AnyPermissionsDefinition, ctx: SecurityContext, r: CanRequest): Promise<boolean> {
  return checkAction(definition, ctx, r.entity, r.action, r.item).then((allowed) => allowed === true);
}

/** @internal */
export function parseCanArgs(args: readonly unknown[]): CanRequest {
  if (typeof args[0] === "string") {
    return { entity: args[0], action: String(args[1]), item: args[2] as OwnableItem | null | undefined };
  }
  return {
    definition: args[0] as AnyPermissionsDefinition,
    entity: String(args[1]),
    action: String(args[2]),
    item: args[3] as OwnableItem | null | undefined,
  };
}

const ids = new WeakMap<object, number>();
let nextId = 0;

/** A stable number per object, so cache keys can tell contexts and schemas apart. */
function objectId(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
  }
  return id;
}
