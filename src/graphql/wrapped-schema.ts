/**
 * A copy of the caller's schema whose resolvers first ask the running
 * request whether the field is denied. Built once; the caller's schema is
 * never mutated. Only used for operations with a denial or post rules:
 * allowed operations run on the original schema with no per-field cost.
 * @module
 */
import {
  defaultFieldResolver,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
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

/** What a wrapper asks the running request. @internal */
export interface FieldGate {
  /**
   * Throws the located denial error when the field is denied; returns a
   * promise when rules judged on the resolver's source object are still deciding.
   */
  check(info: GraphQLResolveInfo, source: unknown, args: Record<string, unknown>): void | Promise<void>;
  /** The `fieldResolver` of the execute call, for fields without their own. */
  readonly fieldResolver: GraphQLFieldResolver<unknown, unknown> | undefined;
}

/** Builds the wrapped copy; `gateOf(context)` finds the request's gate (none → deny). @internal */
export function wrapSchema(schema: GraphQLSchema, gateOf: (context: unknown) => FieldGate | undefined, noGate: (info: GraphQLResolveInfo) => never): GraphQLSchema {
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
      // Read the original field at call time: tools that instrument the
      // caller's schema in place (Apollo plugins) stay in effect.
      const source = original.getFields()[name]!;
      out[name]!.resolve = (parent, args, context, info) => {
        const gate = gateOf(context);
        if (!gate) return noGate(info);
        const resolve = source.resolve ?? gate.fieldResolver ?? defaultFieldResolver;
        const pending = gate.check(info, parent, args);
        if (pending) return pending.then(() => resolve(parent, args, context, info));
        return resolve(parent, args, context, info);
      };
    }
    return out;
  }

  const root = (t: GraphQLObjectType | null | undefined) => (t ? (map.get(t.name) as GraphQLObjectType) : undefined);
  return new GraphQLSchema({
    ...config,
    query: root(config.query),
    mutation: root(config.mutation),
    subscription: root(config.subscription),
    types: config.types.map((t) => map.get(t.name) ?? t),
  });
}
