/**
 * Hands the errors of an operation gatehouse already executed back to Apollo
 * Server, so Apollo's own error pipeline (`didEncounterErrors`, `formatError`,
 * stack-trace policy, HTTP status from `extensions.http`) treats them.
 *
 * Apollo formats only the errors of its own execution, and a plugin cannot
 * reach `formatError`. So Apollo is given a small replay document instead of
 * the operation: one aliased query field per error, e.g.
 * `query { __gh_r0_1: hello __gh_r1_1: hello }`, and that field's resolver,
 * wrapped once per schema, throws the recorded error when it sees a replay
 * alias armed for the request's context. The thrown error is the very
 * `GraphQLError` gatehouse produced (path, locations, `originalError`), which
 * graphql-js passes through unchanged. No real resolver runs a second time.
 * @internal
 */
import { randomBytes } from "node:crypto";
import { defaultFieldResolver, GraphQLError, isNonNullType, Kind, OperationTypeNode, type DocumentNode, type ExecutionResult, type GraphQLField, type GraphQLSchema } from "graphql";

/** One request's pending replay. @internal */
export interface Replay {
  readonly document: DocumentNode;
  readonly result: ExecutionResult;
  /** Replay alias → the error its resolver throws. */
  readonly errors: ReadonlyMap<string, GraphQLError>;
}

const ALIAS_PREFIX = "__gh_r";
/** Per context: the replay aliases armed for it (several concurrent requests may share a context object). */
const armed = new WeakMap<object, Map<string, GraphQLError>>();
/** The query field errors are replayed through. */
interface ReplayField {
  readonly name: string;
  /**
   * graphql-js records only the first error of a non-null root field (the
   * null reaches `data` and execution stops), so such a field replays one
   * error at most.
   */
  readonly nullable: boolean;
}
/** Schemas whose replay field is wrapped, with that field. */
const replayField = new WeakMap<GraphQLSchema, ReplayField | null>();

/**
 * Builds the replay for `result`, or `null` when the schema's query type has
 * no field without required arguments to replay through, or only a non-null
 * one and there is more than one error: replaying would lose all but the first.
 */
export function prepareReplay(schema: GraphQLSchema, result: ExecutionResult, operationName: string | null): Replay | null {
  const replayed = replayFieldOf(schema);
  if (replayed === null || (!replayed.nullable && result.errors!.length > 1)) return null;
  const field = replayed.name;
  // Unguessable per request: a client's own alias can never collide with an armed one.
  const run = randomBytes(8).toString("hex");
  const errors = new Map<string, GraphQLError>();
  result.errors!.forEach((error, i) => errors.set(`${ALIAS_PREFIX}${i}_${run}`, located(error)));
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        // Apollo passes the request's operationName to execute: the replay operation must carry it.
        name: operationName ? { kind: Kind.NAME, value: operationName } : undefined,
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [...errors.keys()].map((alias) => ({
            kind: Kind.FIELD,
            alias: { kind: Kind.NAME, value: alias },
            name: { kind: Kind.NAME, value: field },
          })),
        },
      },
    ],
  };
  return { document, result, errors };
}

/** Makes the replay aliases of `replay` throw their errors for requests with `context` (Apollo's context is always an object). */
export function armReplay(replay: Replay, context: object): void {
  let map = armed.get(context);
  if (!map) armed.set(context, (map = new Map()));
  for (const [alias, error] of replay.errors) map.set(alias, error);
}

/**
 * graphql-js keeps an error's path when it already has one; an error without
 * a path (a whole-operation failure) gets an empty one, so it is not
 * relocated to the replay field.
 */
function located(error: GraphQLError): GraphQLError {
  if (Array.isArray(error.path)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: [],
    originalError: error.originalError ?? error,
    extensions: error.extensions,
  });
}

/** Picks (once per schema) a query field without required arguments and wraps its resolver. */
function replayFieldOf(schema: GraphQLSchema): ReplayField | null {
  const known = replayField.get(schema);
  if (known !== undefined) return known;
  const query = schema.getQueryType();
  const fields = query ? Object.values(query.getFields()) : [];
  const usable = fields.filter((f) => !f.name.startsWith("__") && f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined));
  // Prefer a nullable field (every error replays), then one with its own resolver:
  // wrapping one without would replace a server-wide `fieldResolver` for it.
  const nullable = usable.filter((f) => !isNonNullType(f.type));
  const among = nullable.length > 0 ? nullable : usable;
  const field = among.find((f) => f.resolve !== undefined) ?? among[0];
  if (field) wrap(field);
  const chosen = field ? { name: field.name, nullable: !isNonNullType(field.type) } : null;
  replayField.set(schema, chosen);
  return chosen;
}

function wrap(field: GraphQLField<unknown, unknown>): void {
  const original = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context, info) => {
    const key = info.path.key;
    if (info.path.prev === undefined && typeof key === "string" && key.startsWith(ALIAS_PREFIX)) {
      const map = typeof context === "object" && context !== null ? armed.get(context) : undefined;
      const error = map?.get(key);
      if (error) {
        map!.delete(key);
        throw error;
      }
    }
    return original(source, args, context, info);
  };
}
