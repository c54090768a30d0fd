import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { verifyWebhook } from "gatehouse/webhooks";
import { parseJsonObject, readBody } from "./body.js";
import { sendJson } from "./respond.js";

/** Options for {@link createWebhookHandler}. */
export interface WebhookHandlerOptions {
  /** HMAC-SHA256 secret shared with the sender. */
  secret: string;
  logger: Logger;
}

/**
 * `POST /webhooks/recipes`: `X-Webhook-Signature: sha256=<hex HMAC of the raw body>`.
 * The signature is checked over the raw bytes before anything is parsed;
 * a bad or missing one is 401 `WEBHOOK_VERIFICATION_FAILED`. Accepted events are
 * logged (type only) and answered `202 {"received": true}`, also when the same body arrives again.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { secret, logger } = options;
  if (typeof secret !== "string" || secret.length === 0) {
    throw new TypeError("createRecipesApp: webhookSecret must be a non-empty string (set WEBHOOK_SECRET).");
  }
  return async (req, res) => {
    const payload = await readBody(req);
    // The sha256 scheme signs no timestamp or delivery id, so a replay cannot be told from a
    // legitimate redelivery of the same body; replay rejection is off and the handler stays idempotent.
    await verifyWebhook("sha256", { payload, headers: req.headers, secret, signatureHeader: "x-webhook-signature", replayStore: false });
    const event = parseJsonObject(payload);
    logger.info({ webhook: "recipes", type: typeof event.type === "string" ? event.type.slice(0, 100) : undefined }, "webhook received");
    sendJson(res, 202, { received: true });
  };
}
