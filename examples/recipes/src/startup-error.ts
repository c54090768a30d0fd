/**
 * One line for each way `npm start` can fail before serving: what is wrong
 * and what to change. The stack is only useful to us, not to someone who
 * mistyped PORT.
 * @module
 */

/** A configuration value from the environment that cannot be used. */
export class StartupConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupConfigError";
  }
}

/** PORT as a TCP port: unset or empty means 4000. @throws StartupConfigError */
export function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 4000;
  const port = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(port) || port > 65535) {
    throw new StartupConfigError(`PORT must be an integer from 0 to 65535 (0 picks a free port), got ${JSON.stringify(value.slice(0, 40))}.`);
  }
  return port;
}

const LISTEN_CODES: Readonly<Record<string, (where: string) => string>> = Object.freeze({
  EADDRINUSE: (where) => `cannot listen on ${where}: the port is in use. Stop the other server or set PORT to a free port (PORT=0 picks one).`,
  EACCES: (where) => `cannot listen on ${where}: permission denied. Use a port above 1023 (PORT=4000).`,
  EADDRNOTAVAIL: (where) => `cannot listen on ${where}: this machine has no such address. Set HOST to one of its addresses (HOST=127.0.0.1).`,
  ENOTFOUND: (where) => `cannot listen on ${where}: the host name does not resolve. Set HOST to an address (HOST=127.0.0.1).`,
});

/**
 * The one line printed for a start-up failure. Messages of the store are
 * written for people already (and never carry a password); anything else
 * keeps its name and first line.
 */
export function startupMessage(error: unknown, listen: { host: string; port: number }): string {
  const code = (error as { code?: unknown } | null)?.code;
  const where = `${listen.host.includes(":") ? `[${listen.host}]` : listen.host}:${listen.port}`;
  let text: string;
  if (error instanceof StartupConfigError) text = error.message;
  else if (typeof code === "string" && LISTEN_CODES[code]) text = LISTEN_CODES[code](where);
  else if (error instanceof Error && /^createStore: unsupported url scheme/.test(error.message)) {
    text = `DATABASE_URL: ${error.message.replace(/^createStore: /, "")}`;
  } else if (error instanceof Error) text = error.name === "Error" || error.name === "TypeError" ? error.message : `${error.name}: ${error.message}`;
  else text = String(error);
  return `recipes: could not start: ${text.replace(/\s*\n\s*/g, " ").trim()}`;
}
