// A helpdesk's rules written for GraphQL AuthZ, kept for comparison:
// port.test.ts checks that ../rules.ts differs from this file only in its
// import line. Class rules, function rules, composites and inline
// compositeRules, as a GraphQL AuthZ codebase mixes them.
import { and, or, PostExecutionRule, preExecRule, PreExecutionRule, UnauthorizedError } from "@graphql-authz/core";

export interface Ctx {
  agent?: { id: string; tier: 1 | 2 };
  customer?: { id: string };
}

export class IsSignedIn extends PreExecutionRule {
  public override error = new UnauthorizedError("Sign in first");
  public execute(context: Ctx) {
    if (!context.agent && !context.customer) throw this.error;
  }
}

export const IsAgent = preExecRule({ error: "Agents only" })((context: Ctx) => context.agent !== undefined);

export const IsSeniorAgent = preExecRule({ error: "Tier 2 agents only" })((context: Ctx) => context.agent?.tier === 2);

export class CanReadMessage extends PostExecutionRule {
  public override error = new UnauthorizedError("Not your ticket");
  public override selectionSet = "{ requesterId }";
  public execute(context: Ctx, _args: unknown, _message: unknown, ticket: { requesterId: string }) {
    if (!context.agent && context.customer?.id !== ticket.requesterId) throw this.error;
  }
}

export const IsRequester = preExecRule({ error: "Not your ticket" })(async (context: Ctx, fieldArgs: { id: string }) => {
  const ticket = await loadTicket(fieldArgs.id);
  return ticket !== undefined && ticket.requesterId === context.customer?.id;
});

export const CanClose = or(IsSeniorAgent, IsRequester);

export const CanEscalate = and(IsSignedIn, IsAgent);

export const rules = { IsSignedIn, IsAgent, IsSeniorAgent, CanReadMessage, IsRequester, CanClose, CanEscalate } as const;

export const authSchema = {
  Query: { tickets: { __authz: { rules: ["IsSignedIn"] } } },
  Ticket: { message: { __authz: { rules: ["CanReadMessage"] } } },
  Agent: { phone: { __authz: { compositeRules: [{ and: ["IsSignedIn", "IsAgent"] }] } } },
  Mutation: {
    closeTicket: { __authz: { rules: ["CanClose"] } },
    escalate: { __authz: { deepCompositeRules: [{ and: [{ id: "CanEscalate" }, { not: { id: "IsSeniorAgent" } }] }] } },
  },
};

async function loadTicket(id: string): Promise<{ requesterId: string } | undefined> {
  return { t1: { requesterId: "c1" }, t2: { requesterId: "c2" } }[id];
}
