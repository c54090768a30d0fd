/**
 * pino `redact` paths for request logs: credential headers as pino-http and
 * common serializers place them. Use with `pino({ redact: redactPaths })`.
 * @example
 * const logger = pino({ redact: { paths: [...redactPaths], censor: "[REDACTED]" } });
 */
export const redactPaths: readonly string[] = Object.freeze(
  ["authorization", "proxy-authorization", "cookie", "x-api-key", "set-cookie"].flatMap((h) => [
    `req.headers["${h}"]`,
    `request.headers["${h}"]`,
    `headers["${h}"]`,
    `res.headers["${h}"]`,
  ]).concat(["credentials.token", "credentials.apiKey"]),
);
