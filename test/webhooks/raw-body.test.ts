import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { expressRawBody, lambdaRawBody, readRawBody, signWebhook, verifyWebhook } from "gatehouse/webhooks";

const BODY = '{"event":"ping","emoji":"🔐"}';

/** Serves `handler` on 127.0.0.1, sends one request, returns the response status and text. */
async function roundTrip(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  init: RequestInit = { method: "POST", body: BODY },
): Promise<{ status: number; text: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/hook`, init);
    return { status: response.status, text: await response.text() };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A Node handler that answers with the outcome of readRawBody. */
function reporter(limitBytes?: number) {
  return (req: IncomingMessage, res: ServerResponse) => {
    readRawBody(req, limitBytes === undefined ? undefined : { limitBytes }).then(
      (bytes) => res.end(`ok:${Buffer.from(bytes).toString("utf8")}`),
      (error: { name: string; reason?: string }) => {
        res.statusCode = error.name === "RangeError" ? 413 : 401;
        res.end(`${error.name}:${error.reason ?? ""}`);
      },
    );
  };
}

describe("readRawBody with a Fetch Request", () => {
  it("returns the exact bytes", async () => {
    const bytes = await readRawBody(new Request("http://x/", { method: "POST", body: BODY }));
    expect(Buffer.from(bytes).toString("utf8")).toBe(BODY);
  });

  it("returns an empty body for a request without one", async () => {
    await expect(readRawBody(new Request("http://x/"))).resolves.toEqual(new Uint8Array(0));
  });

  it("rejects a body that was already read", async () => {
    const request = new Request("http://x/", { method: "POST", body: BODY });
    await request.json();
    await expect(readRawBody(request)).rejects.toMatchObject({ code: "WEBHOOK_VERIFICATION_FAILED", reason: "payload_not_raw" });
  });

  it("rejects a body over the limit, by content-length or by streaming", async () => {
    const big = new Request("http://x/", { method: "POST", body: "x".repeat(100) });
    await expect(readRawBody(big, { limitBytes: 10 })).rejects.toThrow(RangeError);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array(8));
        controller.enqueue(new Uint8Array(8));
        controller.close();
      },
    });
    const chunked = new Request("http://x/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await expect(readRawBody(chunked, { limitBytes: 10 })).rejects.toThrow(RangeError);
  });

  it("throws a TypeError for a bad limit or a non-request", async () => {
    await expect(readRawBody(new Request("http://x/"), { limitBytes: 0 })).rejects.toThrow(TypeError);
    await expect(readRawBody({} as never)).rejects.toThrow(TypeError);
  });

  it("feeds verifyWebhook in a Fetch handler (Yoga, Workers)", async () => {
    const secret = "fetch-secret";
    const request = new Request("http://x/", { method: "POST", body: BODY, headers: signWebhook("sha256", BODY, { secret }) });
    const payload = await readRawBody(request);
    await expect(verifyWebhook("sha256", { payload, headers: request.headers, secret, replayStore: false })).resolves.toMatchObject({
      secretIndex: 0,
    });
  });
});

describe("readRawBody with a Node IncomingMessage (real server on 127.0.0.1)", () => {
  it("returns the exact bytes", async () => {
    await expect(roundTrip(reporter())).resolves.toEqual({ status: 200, text: `ok:${BODY}` });
  });

  it("rejects a body over the limit with a RangeError", async () => {
    await expect(roundTrip(reporter(5))).resolves.toMatchObject({ status: 413, text: "RangeError:" });
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("0123456789"));
        controller.close();
      },
    });
    await expect(
      roundTrip(reporter(5), { method: "POST", body: chunked, duplex: "half" } as RequestInit),
    ).resolves.toMatchObject({ status: 413, text: "RangeError:" });
  });

  it("rejects a body already consumed by another reader", async () => {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on("end", () => reporter()(req, res));
    };
    await expect(roundTrip(handler)).resolves.toEqual({ status: 401, text: "WebhookVerificationError:payload_not_raw" });
  });
});

describe("expressRawBody", () => {
  async function expressRoundTrip(app: express.Express, headers: Record<string, string>) {
    return roundTrip(app as unknown as (req: IncomingMessage, res: ServerResponse) => void, {
      method: "POST",
      body: BODY,
      headers: { "content-type": "application/json", ...headers },
    });
  }

  function webhookRoute(app: express.Express, secret: string) {
    app.post("/hook", async (req, res) => {
      const payload = (req as unknown as { rawBody?: Uint8Array }).rawBody ?? (req.body as Uint8Array);
      try {
        const { id } = await verifyWebhook("standard", { payload, headers: req.headers, secret, replayStore: false });
        res.send(`verified:${id}`);
      } catch (error) {
        res.status(401).send((error as { reason?: string }).reason ?? "error");
      }
    });
  }

  const secret = "whsec_" + Buffer.from("express-test-key-material").toString("base64");

  it("stores the raw body on req.rawBody so a webhook verifies", async () => {
    const app = express();
    app.use("/hook", expressRawBody());
    webhookRoute(app, secret);
    const headers = signWebhook("standard", BODY, { secret, id: "msg_express" });
    await expect(expressRoundTrip(app, headers)).resolves.toEqual({ status: 200, text: "verified:msg_express" });
  });

  it("works with express.raw() instead", async () => {
    const app = express();
    app.use("/hook", express.raw({ type: "*/*" }));
    webhookRoute(app, secret);
    const headers = signWebhook("standard", BODY, { secret, id: "msg_raw" });
    await expect(expressRoundTrip(app, headers)).resolves.toEqual({ status: 200, text: "verified:msg_raw" });
  });

  it("fails closed after express.json() consumed the body", async () => {
    const app = express();
    app.use(express.json());
    app.use("/hook", expressRawBody());
    app.use((error: { reason?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(401).send(error.reason ?? "error");
    });
    webhookRoute(app, secret);
    const headers = signWebhook("standard", BODY, { secret });
    await expect(expressRoundTrip(app, headers)).resolves.toEqual({ status: 401, text: "payload_not_raw" });
  });

  it("throws a TypeError for a bad limit", () => {
    expect(() => expressRawBody({ limitBytes: -1 })).toThrow(TypeError);
  });
});

describe("lambdaRawBody", () => {
  it("returns a plain body as UTF-8 bytes", () => {
    expect(Buffer.from(lambdaRawBody({ body: BODY })).toString("utf8")).toBe(BODY);
  });

  it("decodes a base64-encoded body to the exact bytes", () => {
    const binary = new Uint8Array([0, 255, 1, 254, 10]);
    expect(lambdaRawBody({ body: Buffer.from(binary).toString("base64"), isBase64Encoded: true })).toEqual(binary);
  });

  it("verifies a webhook delivered base64-encoded", async () => {
    const secret = "lambda-secret";
    const event = {
      body: Buffer.from(BODY).toString("base64"),
      isBase64Encoded: true,
      headers: signWebhook("base64Sha256", BODY, { secret }),
    };
    await expect(
      verifyWebhook("base64Sha256", { payload: lambdaRawBody(event), headers: event.headers, secret, replayStore: false }),
    ).resolves.toMatchObject({ secretIndex: 0 });
  });

  it("returns an empty body for a missing one (which verification rejects)", async () => {
    expect(lambdaRawBody({ body: null })).toEqual(new Uint8Array(0));
    expect(lambdaRawBody({ isBase64Encoded: true })).toEqual(new Uint8Array(0));
    await expect(
      verifyWebhook("sha256", { payload: lambdaRawBody({}), headers: { "x-webhook-signature": "00" }, secret: "s" }),
    ).rejects.toMatchObject({ reason: "payload_not_raw" });
  });

  it("rejects an invalid base64 body and a non-string body", () => {
    expect(() => lambdaRawBody({ body: "not base64!", isBase64Encoded: true })).toThrow(
      expect.objectContaining({ reason: "payload_not_raw" }),
    );
    expect(() => lambdaRawBody({ body: { a: 1 } as never })).toThrow(expect.objectContaining({ reason: "payload_not_raw" }));
    expect(() => lambdaRawBody(null as never)).toThrow(TypeError);
  });
});
