import { makeExecutableSchema } from "@graphql-tools/schema";
import { createSecurity, InvalidCredentialsError, type Authenticator } from "gatehouse";
import { createAuthz, deny, isAuthenticated, allow, preExecRule } from "gatehouse/graphql";

export const typeDefs = /* GraphQL */ `
  type Query { me: String  hello: String  secret: String  adminNote: String }
  type Mutation { touch: Boolean }
`;

export function setup() {
  const touched: string[] = [];
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: {
        me: (_: unknown, __: unknown, ctx: { security: { identity: { id: string } | null } }) => ctx.security.identity?.id ?? null,
        hello: () => "world",
        secret: () => "TOP-SECRET",
        adminNote: () => "ADMIN-ONLY",
      },
      Mutation: { touch: (_: unknown, __: unknown, ctx: { security: { identity: { id: string } } }) => (touched.push(ctx.security.identity.id), true) },
    },
  });
  const tokens: Authenticator = async ({ token }) => {
    if (!token) return null;
    if (token === "joe-token") return { id: "joe", roles: ["author"] };
    if (token === "admin-token") return { id: "admin", roles: ["admin"] };
    throw new InvalidCredentialsError("Token signature is invalid.");
  };
  const keys: Authenticator = async ({ apiKey }) => (apiKey === "gh_key_ok" ? { id: "bot", type: "apiKey" } : apiKey ? Promise.reject(new InvalidCredentialsError()) : null);
  const security = createSecurity({ authenticators: [tokens, keys], authorizers: [async (i) => (i?.id === "admin" ? [{ name: "*" }] : [])] });
  const authz = createAuthz({
    schema,
    rules: {
      Anyone: allow,
      Authenticated: isAuthenticated,
      Admin: preExecRule()((ctx: { security: { hasFullAccess(): boolean } }) => ctx.security.hasFullAccess()),
      Nobody: deny,
    },
    authSchema: {
      Query: {
        me: { __authz: { rules: ["Authenticated"] } },
        hello: { __authz: { rules: ["Anyone"] } },
        adminNote: { __authz: { rules: ["Admin"] } },
        // `secret` has no rule: denied by default.
      },
      Mutation: { touch: { __authz: { rules: ["Authenticated"] } } },
    },
  });
  return { schema, security, authz, touched };
}
