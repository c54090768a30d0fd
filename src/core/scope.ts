/**
 * Async-scoped "authorization disabled" marker for `withoutAuthorization`.
 *
 * On Node the marker lives in an AsyncLocalStorage so it follows `fn`'s async
 * work and nothing else: concurrent requests never see it. The storage alone
 * would also hand the marker to timers and promises that `fn` started but did
 * not wait for, long after `fn` returned; each scope is therefore closed when
 * `fn` settles, and a closed scope allows nothing. The module is
 * loaded through `process.getBuiltinModule` so the core entry stays free of
 * static Node imports and still bundles for browsers, where (single user,
 * no concurrent requests) a synchronous depth counter is used instead.
 * @internal
 */

interface Storage<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

interface Scope {
  readonly owner: object;
  open: boolean;
}

type Marker = readonly Scope[];

function loadStorage(): Storage<Marker> | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.("node:async_hooks") as
    | { AsyncLocalStorage: new () => Storage<Marker> }
    | undefined;
  return mod ? new mod.AsyncLocalStorage() : null;
}

const storage = loadStorage();
const fallback = new Map<object, number>();

/** Runs `fn` with authorization disabled for `owner` only. */
export function runUnauthorized<R>(owner: object, fn: () => R): R {
  if (storage) {
    const scope: Scope = { owner, open: true };
    const close = () => {
      scope.open = false;
    };
    return settle(() => storage.run([...(storage.getStore() ?? []), scope], fn), close);
  }
  fallback.set(owner, (fallback.get(owner) ?? 0) + 1);
  return settle(fn, () => {
    const n = (fallback.get(owner) ?? 1) - 1;
    if (n <= 0) fallback.delete(owner);
    else fallback.set(owner, n);
  });
}

/** Runs `fn` and calls `release` once it has settled (returned, thrown, or its promise settled). */
function settle<R>(fn: () => R, release: () => void): R {
  try {
    const result = fn();
    if (result instanceof Promise) return result.finally(release) as R;
    release();
    return result;
  } catch (error) {
    release();
    throw error;
  }
}

/** True while `owner`'s authorization is disabled in the current async scope. */
export function isUnauthorized(owner: object): boolean {
  if (storage) return storage.getStore()?.some((scope) => scope.owner === owner && scope.open) ?? false;
  return fallback.has(owner);
}
