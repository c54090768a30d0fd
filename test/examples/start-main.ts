// Runs the recipes example exactly as `npm start` does after its build step:
// `node --import tsx examples/recipes/src/main.ts` in the repository root.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const main = join(root, "examples/recipes/src/main.ts");

/** Environment of a test run: loopback, an ephemeral port, an in-memory database, quiet logs. */
export const TEST_ENV = Object.freeze({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: "memory://", LOG_LEVEL: "silent", NODE_ENV: "development" });

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts main.ts and waits for it to exit (for start-up failures). */
export function runMainToExit(env: Record<string, string>, timeoutMs = 30_000): Promise<Exited> {
  const child = spawn(process.execPath, ["--import", "tsx", main], { cwd: root, env: { ...process.env, ...TEST_ENV, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((done) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
}

export interface StartedMain {
  url: string;
  /** Everything main.ts printed on start. */
  banner: string;
  close(): Promise<void>;
}

/** Starts main.ts and resolves once its banner is printed. */
export function startMain(env: Record<string, string> = {}): Promise<StartedMain> {
  const child = spawn(process.execPath, ["--import", "tsx", main], { cwd: root, env: { ...process.env, ...TEST_ENV, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4_000)));
  const close = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        done();
      });
      child.kill("SIGTERM");
    });
  return new Promise((resolveStarted, reject) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      const url = /gatehouse recipes API on (http:\/\/\S+)/.exec(out)?.[1];
      // The banner is one write that ends with a blank line.
      if (url && out.endsWith("\n\n")) resolveStarted({ url, banner: out, close });
    });
    child.once("exit", (code) => reject(new Error(`main.ts exited early (code ${code}):\n${stderr}`)));
  });
}
