/**
 * A copy of the caller's schema whose resolvers first ask the running
 * request whether the field is denied. Built once; the caller's schema is
 * never mutated. Only used for operations with a denial or rules judged on
 * the resolver's source object: allowed operations run on the original
 * schema with no per-field cost. Fields that every request may resolve
 * (only `allow` rules) ask nothing, so a list pays only for its gated fields.
 * @module
 */
import {
  defaultFieldResolver,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLError,
  GraphQLSchema,
  GraphQLUnionType,
  isInterfaceType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLFieldConfigMap,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
} from "graphql";

/**
 * A request's check of one field (one field node under one parent type), for
 * each of its rows: `undefined` when the row may resolve; the located denial
 * error when it is denied (returned, not thrown: graphql-js treats a
 * resolver's returned error exactly as a thrown one, and a throw unwinding
 * through the gate costs more than the rest of a denied row); a promise when
 * rules judged on the resolver's source object are still deciding (it
 * rejects on a denial). @internal
 */
export type FieldCheck = (info: GraphQLResolveInfo, source: unknown, args: Record<string, unknown>) => GraphQLError | undefined | Promise<void>;

/** What a wrapper asks the running request. @internal */
export interface FieldGate {
  /** The check of the field `info` resolves, the same for every row of it in this request. */
  checkOf(info: GraphQLResolveInfo): FieldCheck;
  /**
   * Keeps the denial of a nullable field, which then resolves to null
   * without graphql-js throwing and catching the error (see `withDenials`).
   */
  record(denial: GraphQLError): void;
  /** The `fieldResolver` of the execute call, for fields without their own. */
  readonly fieldResolver: GraphQLFieldResolver<unknown, unknown> | undefined;
}

/** The wrapped copy, and the registry of the requests running on it. @internal */
export interface GatedSchema {
  readonly schema: GraphQLSchema;
  /** Is a request already running with this context object? */
  running(context: object): boolean;
  /** Registers a request's gate under its context; returns the call that removes it. */
  enter(context: object, gate: FieldGate): () => void;
}

/** What {@link wrapSchema} needs to know of the rules. @internal */
export interface WrapOptions {
  /**
   * Does every request resolve this field unasked? True only for fields whose
   * rules are all `allow`: no rule can deny them before execution, on the
   * source object or on the result. Such a field's wrapper skips the gate.
   */
  isOpen(type: GraphQLObjectType, fieldName: string): boolean;
  /** Throws for a gated field resolved outside a request (deny). */
  noGate(info: GraphQLResolveInfo): never;
}

/** A wrapper's last check (see `remember` in {@link wrapSchema}); `context` is `undefined` when there is none. */
interface Last {
  context: unknown;
  nodes: unknown;
  gate: FieldGate | undefined;
  check: FieldCheck | undefined;
}

const newLast = (): Last => ({ context: undefined, nodes: undefined, gate: undefined, check: undefined });

/** Builds the wrapped copy. @internal */
export function wrapSchema(schema: GraphQLSchema, options: WrapOptions): GatedSchema {
  const gates = new WeakMap<object, FieldGate>();
  /** Open fields: the copy's field, the caller's, and the resolver last copied from it (see `syncOpen`). */
  const open: Array<{ readonly type: string; readonly name: string; readonly source: { resolve?: unknown }; field?: { resolve?: unknown }; seen?: unknown }> = [];
  const gateOf = (context: unknown) => (typeof context === "object" && context !== null ? gates.get(context) : undefined);
  /**
   * Each wrapper remembers the check it used last, for one context and one
   * field-node array. Every request that enters or leaves forgets them all,
   * so a remembered check is only ever used for a request that was running
   * when it was made, and no context outlives its request here.
   */
  const filled: Last[] = [];
  const remember = (last: Last, context: unknown, nodes: unknown, gate: FieldGate, check: FieldCheck) => {
    if (last.context === undefined) filled.push(last);
    last.context = context;
    last.nodes = nodes;
    last.gate = gate;
    last.check = check;
  };
  const forgetAll = () => {
    for (const last of filled) {
      last.context = undefined;
      last.nodes = undefined;
      last.gate = undefined;
      last.check = undefined;
    }
    filled.splice(0);
  };
  const { isOpen, noGate } = options;
  const config = schema.toConfig();
  const map = new Map<string, GraphQLNamedType>();
  const rewire = <T extends GraphQLOutputType>(type: T): T => {
    if (isNonNullType(type)) return new GraphQLNonNull(rewire(type.ofType)) as T;
    if (isListType(type)) return new GraphQLList(rewire(type.ofType)) as unknown as T;
    return (map.get((type as GraphQLNamedType).name) ?? type) as T;
  };

  for (const type of config.types) {
    if (isIntrospectionType(type)) continue;
    if (isObjectType(type)) {
      const c = type.toConfig();
      map.set(type.name, new GraphQLObjectType({
        ...c,
        interfaces: () => c.interfaces.map((i) => rewire(i)),
        fields: () => wrapFields(type, c.fields),
      }));
    } else if (isInterfaceType(type)) {
      const c = type.toConfig();
      map.set(type.name, new GraphQLInterfaceType({
        ...c,
        interfaces: () => c.interfaces.map((i) => rewire(i)),
        fields: () => mapFields(c.fields),
      }));
    } else if (isUnionType(type)) {
      const c = type.toConfig();
      map.set(type.name, new GraphQLUnionType({ ...c, types: () => c.types.map((t) => rewire(t)) }));
    }
  }

  function mapFields(fields: GraphQLFieldConfigMap<unknown, unknown>): GraphQLFieldConfigMap<unknown, unknown> {
    const out: GraphQLFieldConfigMap<unknown, unknown> = {};
    for (const [name, f] of Object.entries(fields)) out[name] = { ...f, type: rewire(f.type) };
    return out;
  }

  function wrapFields(original: GraphQLObjectType, fields: GraphQLFieldConfigMap<unknown, unknown>): GraphQLFieldConfigMap<unknown, unknown> {
    const out = mapFields(fields);
    for (const name of Object.keys(out)) {
      // The caller's own field: its resolver is read at call time (wrapped fields) or compared on
      // each request (open fields), so tools that instrument that schema in place (Apollo plugins) stay in effect.
      const source = original.getFields()[name]!;
      const nullable = !isNonNullType(source.type);
      if (isOpen(original, name)) {
        // No wrapper: graphql-js calls the caller's resolver, or the execute call's fieldResolver where there is none.
        // `seen`: the resolver the copy holds (mapFields copied it), so only a later change is copied again.
        open.push({ type: original.name, name, source, seen: out[name]!.resolve });
        continue;
      }
      const last = newLast();
      out[name]!.resolve = (parent, args, context, info) => {
        let gate: FieldGate;
        let check: FieldCheck;
        // The rows of one field in one request: graphql-js passes the same field-node array for each.
        if (last.context === context && last.nodes === info.fieldNodes) {
          gate = last.gate!;
          check = last.check!;
        } else {
          const found = gateOf(context);
          if (!found) return noGate(info);
          gate = found;
          check = gate.checkOf(info);
          remember(last, context, info.fieldNodes, gate, check);
        }
        const resolve = source.resolve ?? gate.fieldResolver ?? defaultFieldResolver;
        const verdict = check(info, parent, args);
        if (verdict === undefined) return resolve(parent, args, context, info);
        // A denial: the resolver never runs (a denied mutation does nothing).
        if (verdict instanceof GraphQLError) {
          if (!nullable) return verdict;
          gate.record(verdict);
          return null;
        }
        return verdict.then(() => resolve(parent, args, context, info));
      };
    }
    return out;
  }

  const root = (t: GraphQLObjectType | null | undefined) => (t ? (map.get(t.name) as GraphQLObjectType) : undefined);
  const wrapped = new GraphQLSchema({
    ...config,
    query: root(config.query),
    mutation: root(config.mutation),
    subscription: root(config.subscription),
    types: config.types.map((t) => map.get(t.name) ?? t),
  });
  for (const entry of open) entry.field = (map.get(entry.type) as GraphQLObjectType).getFields()[entry.name];
  /**
   * Open fields resolve exactly as the caller's schema does now: tools that
   * instrument it in place (Apollo plugins) may set or replace a resolver
   * after the copy was made, so each request copies any that changed. A
   * comparison per open field, far cheaper than a wrapper call per row.
   */
  const syncOpen = () => {
    for (const entry of open) {
      const resolve = entry.source.resolve;
      if (resolve !== entry.seen && entry.field) {
        entry.field.resolve = resolve;
        entry.seen = resolve;
      }
    }
  };
  return {
    schema: wrapped,
    running: (context) => gates.has(context),
    enter(context, gate) {
      syncOpen();
      forgetAll();
      gates.set(context, gate);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        gates.delete(context);
        forgetAll();
      };
    },
  };
}
