// The example API: a helpdesk. Rules attach through the authSchema in
// rules.ts; gatehouse denies every field no rule covers, so the open
// fields say so explicitly with @public (GraphQL AuthZ allows by default).
import { buildSchema, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { authzDirectiveTypeDefs } from "gatehouse/graphql";

export const typeDefs = /* GraphQL */ `
  type Agent @public { id: ID! name: String! phone: String! }
  type Ticket @public { id: ID! subject: String! message: String! status: String! requesterId: ID! assignee: Agent }
  type Query @public { tickets: [Ticket!]! }
  type Mutation { closeTicket(id: ID!): Ticket!  escalate(id: ID!): Ticket! }
`;

const agents = [
  { id: "a1", name: "Ada", phone: "+1 555 0101" },
  { id: "a2", name: "Grace", phone: "+1 555 0102" },
];
const tickets = [
  { id: "t1", subject: "Login fails", message: "My password is not accepted", status: "open", requesterId: "c1", assigneeId: "a1" },
  { id: "t2", subject: "Refund", message: "Card ending 4242 was charged twice", status: "open", requesterId: "c2", assigneeId: "a2" },
];

/** Builds the executable schema (graphql-js only, no extra tooling). */
export function buildExampleSchema(): GraphQLSchema {
  const schema = buildSchema(`${authzDirectiveTypeDefs}\n${typeDefs}`);
  schema.getQueryType()!.getFields().tickets!.resolve = () => tickets;
  const mutation = schema.getMutationType()!.getFields();
  const find = (id: string) => tickets.find((t) => t.id === id)!;
  mutation.closeTicket!.resolve = (_: unknown, { id }: { id: string }) => ({ ...find(id), status: "closed" });
  mutation.escalate!.resolve = (_: unknown, { id }: { id: string }) => ({ ...find(id), status: "escalated" });
  (schema.getType("Ticket") as GraphQLObjectType).getFields().assignee!.resolve = (t: { assigneeId: string }) =>
    agents.find((a) => a.id === t.assigneeId);
  return schema;
}
