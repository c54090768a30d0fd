// Ported from ./original/rules.ts by renaming the import; port.test.ts checks
// that nothing else changed.
import { postExecRule, preExecRule } from "gatehouse/graphql";

export interface Ctx {
  user?: { id: string; role: "Admin" | "Customer" };
}

export const IsAuthenticated = preExecRule({ error: "User is not authenticated" })((context: Ctx) => !!context.user);

export const IsAdmin = preExecRule({ error: "User is not admin" })((context: Ctx) => context.user?.role === "Admin");

export const CanReadBody = postExecRule({ error: "Access denied", selectionSet: "{ status author { id } }" })(
  (context: Ctx, _fieldArgs: unknown, _body: unknown, post: { status: string; author: { id: string } }) =>
    post.status === "public" || context.user?.id === post.author.id,
);

export const CanPublishPost = preExecRule()(async (context: Ctx, fieldArgs: { postId: string }) => {
  const post = await loadPost(fieldArgs.postId);
  return post !== undefined && post.authorId === context.user?.id;
});

export const rules = { IsAuthenticated, IsAdmin, CanReadBody, CanPublishPost } as const;

export const authSchema = {
  Query: { users: { __authz: { rules: ["IsAuthenticated"] } } },
  User: { email: { __authz: { rules: ["IsAdmin"] } } },
  Post: { body: { __authz: { rules: ["CanReadBody"] } } },
  Mutation: { publishPost: { __authz: { rules: ["CanPublishPost"] } } },
};

async function loadPost(id: string): Promise<{ authorId: string } | undefined> {
  return { p1: { authorId: "u1" }, p2: { authorId: "u2" } }[id];
}
