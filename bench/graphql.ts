// GraphQL authorization overhead: gatehouse vs bare graphql-js, hand-written checks,
// graphql-shield (no_cache, contextual) and @graphql-authz/core, interleaved in one run.
import { makeExecutableSchema } from "@graphql-tools/schema";
import { preExecRule as authzPreExecRule, wrapExecuteFn } from "@graphql-authz/core";
import { execute, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { allow as shieldAllow, deny as shieldDeny, rule as shieldRule, shield } from "graphql-shield";
import { createSecurityContext } from "gatehouse";
import { allow, authzDirectiveTypeDefs, createAuthz, deny, preExecRule } from "gatehouse/graphql";
import {
  checks, deepFragmentQuery, directiveTypeDefs, handWrittenSchema, listQuery, mutationQuery, plainResolvers, plainSchema, policies,
  type BenchUser,
} from "./graphql-fixture.js";
import { interleave, round1, round2, roundRatio, toMarkdown, type BenchReport, type Contender } from "./harness.js";

type Exec = (document: DocumentNode, user: BenchUser | undefined) => unknown;

/** Every contender as a function of (document, user). */
function contenders(): Record<string, Exec> {
  const bare = plainSchema();
  const hand = handWrittenSchema();

  const shieldSchema = (cache: "no_cache" | "contextual") => {
    const isAuthenticated = shieldRule({ cache })((_p, _a, ctx) => checks.isAuthenticated(ctx));
    const isAdmin = shieldRule({ cache })((_p, _a, ctx) => checks.isAdmin(ctx));
    const isEditor = shieldRule({ cache })((_p, _a, ctx) => checks.isEditor(ctx));
    const permissions = shield(
      {
        Query: { posts: isAuthenticated, post: isAuthenticated },
        Mutation: { publishPost: isEditor },
        Post: shieldAllow,
        Comment: shieldAllow,
        User: { "*": shieldAllow, email: isAdmin },
      },
      { fallbackRule: shieldDeny, allowExternalErrors: false } as never,
    );
    return applyMiddleware(plainSchema(), permissions) as GraphQLSchema;
  };
  const shieldNoCache = shieldSchema("no_cache");
  const shieldContextual = shieldSchema("contextual");

  const authzExecute = wrapExecuteFn(execute, {
    rules: {
      IsAuthenticated: authzPreExecRule()((ctx: { user?: BenchUser }) => checks.isAuthenticated(ctx)),
      IsAdmin: authzPreExecRule()((ctx: { user?: BenchUser }) => checks.isAdmin(ctx)),
      IsEditor: authzPreExecRule()((ctx: { user?: BenchUser }) => checks.isEditor(ctx)),
    },
    authSchema: {
      Query: { posts: { __authz: { rules: ["IsAuthenticated"] } }, post: { __authz: { rules: ["IsAuthenticated"] } } },
      Mutation: { publishPost: { __authz: { rules: ["IsEditor"] } } },
      User: { email: { __authz: { rules: ["IsAdmin"] } } },
    },
  });

  const rules = {
    IsAuthenticated: preExecRule()((ctx: { user?: BenchUser }) => checks.isAuthenticated(ctx)),
    IsAdmin: preExecRule()((ctx: { user?: BenchUser }) => checks.isAdmin(ctx)),
    IsEditor: preExecRule()((ctx: { user?: BenchUser }) => checks.isEditor(ctx)),
    Anyone: allow,
    Deny: deny,
  };
  const viaAuthSchema = createAuthz({
    schema: bare,
    rules,
    authSchema: {
      Query: { posts: { __authz: { rules: ["IsAuthenticated"] } }, post: { __authz: { rules: ["IsAuthenticated"] } } },
      Mutation: { publishPost: { __authz: { rules: ["IsEditor"] } } },
      Post: { "*": { __authz: { rules: ["Anyone"] } } },
      Comment: { "*": { __authz: { rules: ["Anyone"] } } },
      User: { "*": { __authz: { rules: ["Anyone"] } }, email: { __authz: { rules: ["IsAdmin"] } } },
      "*": { "*": { __authz: { rules: ["Deny"] } } },
    },
  });
  const viaDirectives = createAuthz({
    schema: makeExecutableSchema({ typeDefs: [authzDirectiveTypeDefs, directiveTypeDefs], resolvers: plainResolvers() }),
    rules,
  });
  const viaPolicies = createAuthz({ schema: bare, policies });

  // Authentication is not what is measured (the other contenders get `user` for free): one
  // SecurityContext per user, built once; a fresh context object per execution, as a server makes.
  const securityOf = new Map<BenchUser | undefined, ReturnType<typeof createSecurityContext>>();
  const gatehouseCtx = (user: BenchUser | undefined) => {
    let security = securityOf.get(user);
    if (!security) securityOf.set(user, (security = createSecurityContext({ identity: user ? { id: user.id, roles: user.roles } : null, permissions: [] })));
    return { user, security };
  };
  return {
    bare: (document) => execute({ schema: bare, document }),
    "hand-written": (document, user) => execute({ schema: hand, document, contextValue: { user } }),
    "shield no_cache": (document, user) => execute({ schema: shieldNoCache, document, contextValue: { user } }),
    "shield contextual": (document, user) => execute({ schema: shieldContextual, document, contextValue: { user } }),
    // graphql-authz throws when a rule denies; its server integrations turn that into `{ errors }`.
    "graphql-authz": (document, user) =>
      Promise.resolve()
        .then(() => authzExecute({ schema: bare, document, contextValue: { user } }))
        .catch((error: unknown) => ({ errors: [error] })),
    "gatehouse authSchema": (document, user) => viaAuthSchema.execute({ schema: bare, document, contextValue: gatehouseCtx(user) }),
    "gatehouse directives": (document, user) => viaDirectives.execute({ schema: viaDirectives.schema, document, contextValue: gatehouseCtx(user) }),
    "gatehouse policies": (document, user) => viaPolicies.execute({ schema: bare, document, contextValue: gatehouseCtx(user) }),
  };
}

const READER: BenchUser = { id: "u1", roles: ["user"] };
const EDITOR: BenchUser = { id: "u2", roles: ["user", "editor"] };

/** Correctness gate: allowed queries return bare's data; denied fields are denied by everyone. */
async function gate(all: Record<string, Exec>): Promise<string[]> {
  const problems: string[] = [];
  const allowed = parse(listQuery(10, false));
  const expected = JSON.stringify(((await all.bare!(allowed, READER)) as ExecutionResult).data);
  for (const [name, run] of Object.entries(all)) {
    const r = (await run(allowed, READER)) as ExecutionResult;
    if (JSON.stringify(r.data) !== expected || r.errors?.length) problems.push(`${name}: allowed query differs from bare`);
    if (name === "bare") continue;
    const d = (await run(parse(listQuery(10, true)), READER)) as ExecutionResult;
    const leaked = JSON.stringify(d.data ?? null).includes("@example.test");
    if (leaked || !d.errors?.length) problems.push(`${name}: User.email not denied`);
  }
  return problems;
}

export async function run(opts: { quick: boolean }): Promise<BenchReport> {
  const all = contenders();
  const problems = await gate(all);
  if (problems.length) throw new Error(`Correctness gate failed:\n${problems.join("\n")}`);

  const sizes = opts.quick ? [10, 100] : [1, 10, 100, 1000];
  const shapes: Array<{ shape: string; n: number | string; doc: DocumentNode; user: BenchUser }> = [
    ...sizes.flatMap((n) => [
      { shape: "list allowed", n, doc: parse(listQuery(n, false)), user: READER },
      { shape: "list + denied field", n, doc: parse(listQuery(n, true)), user: READER },
    ]),
    { shape: "mutation", n: 1, doc: parse(mutationQuery), user: EDITOR },
    { shape: "deep fragments", n: 50, doc: parse(deepFragmentQuery), user: READER },
  ];

  const rows: BenchReport["rows"] = [];
  for (const { shape, n, doc, user } of shapes) {
    const size = typeof n === "number" ? n : 1;
    const batch = Math.max(1, Math.round((opts.quick ? 200 : 600) / Math.max(1, size / 5)));
    const list: Contender[] = Object.entries(all).map(([name, exec]) => ({ name, run: () => exec(doc, user) }));
    const timings = await interleave(list, { rounds: opts.quick ? 7 : 25, batch, warmup: opts.quick ? 20 : 100 });
    const bare = timings.get("bare")!;
    for (const [name, t] of timings) {
      rows.push({ shape, N: n, contender: name, "median µs": round1(t.median), "p95 µs": round1(t.p95), "× bare": round2(roundRatio(t, bare)) });
    }
  }
  return {
    name: "GraphQL execution overhead",
    rows,
    notes: [
      "Same schema, data and rules for every contender; contenders interleaved in rounds, in a new (seeded) order each round; × bare is taken round by round, median over rounds; NODE_ENV=production.",
      "graphql-authz rejects the whole operation when a pre-execution rule denies (its design), so its 'denied field' rows return no data.",
      "Targets: gatehouse allowed query ≤ 1.10× bare at N ≥ 100, ≤ 1.5× at N = 10; ≥ 3× less overhead than graphql-shield and graphql-authz.",
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await run({ quick: process.argv.includes("--quick") });
  process.stdout.write(toMarkdown(report));
}
