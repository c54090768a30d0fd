/**
 * The object a post rule sees as its parent: the client's fields with the
 * fields injected for the rules under their real names. Injected keys are
 * always removed from the response object; where the real names clash with
 * nothing the client selected, the response object itself becomes the view
 * for as long as the rules may read it, which saves a copy per row.
 * @module
 */
import { setData } from "./post-path.js";
import type { LevelProgram } from "./post-program.js";

type Obj = Record<string, unknown>;
type Injected = NonNullable<LevelProgram["injected"]>;

/**
 * Moves each injected value from its injected key to its real name on the
 * response object itself (see `Injected.inPlace`). The caller removes the
 * real names again with {@link dropNames} once no rule can read them.
 * @internal
 */
export function renameInPlace(obj: Obj, injected: Injected): void {
  const { keys, names } = injected;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = obj[key];
    delete obj[key];
    if (value !== undefined) setData(obj, names[i]!, value);
  }
}

/** Removes the real names {@link renameInPlace} added: the client never sees a field it did not select. @internal */
export function dropNames(obj: Obj, names: readonly string[]): void {
  for (let i = 0; i < names.length; i++) delete obj[names[i]!];
}

/**
 * Strips the injected keys from the response object and returns a copy of
 * it for the rules, with the injected values under their real names. A plain
 * object built from the level's known keys: copying the dictionary-mode
 * result object key by key is several times slower.
 * @internal
 */
export function strippedCopy(obj: Obj, injected: Injected): Obj {
  const { keys, names } = injected;
  const extras = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    extras[i] = obj[key];
    delete obj[key];
  }
  const view: Obj = {};
  for (const key of injected.viewKeys) {
    const v = obj[key];
    if (v !== undefined) setData(view, key, v);
  }
  for (let i = 0; i < extras.length; i++) if (extras[i] !== undefined) setData(view, names[i]!, extras[i]);
  return view;
}
