import type { IncomingMessage, ServerResponse } from "node:http";
import { NotAuthenticatedError, type Security } from "gatehouse";
import { authenticateRequest } from "gatehouse/http";
import type { Store } from "gatehouse/store";
import { BASE_HEADERS } from "../http/respond.js";

/**
 * `POST /auth/logout` with `Authorization: Bearer <token>` → 204: every token of that user
 * issued so far (this one included) is refused from now on, on every node.
 * No token → 401 `UNAUTHENTICATED`; an invalid or already revoked one → 401 `INVALID_CREDENTIALS`.
 */
export function createLogoutHandler(options: { security: Security; store: Store }): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { security, store } = options;
  return async (req, res) => {
    const context = await authenticateRequest(security, req);
    // API keys are revoked one by one (store.apiKeys.revoke), not by logging out.
    if (!context.identity || context.identity.type === "apiKey") throw new NotAuthenticatedError("Log out with the session's bearer token.");
    await store.revokeSessions(context.identity.id);
    res.writeHead(204, { ...BASE_HEADERS, "cache-control": "no-store" });
    res.end();
  };
}
