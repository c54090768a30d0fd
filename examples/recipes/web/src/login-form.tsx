import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { ErrorAlert } from "./error-alert.js";

export interface LoginFormProps {
  onLogin(username: string, password: string): Promise<void>;
  /** A message carried over from a previous session (e.g. it expired). */
  notice?: unknown;
}

export function LoginForm({ onLogin, notice }: LoginFormProps) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(notice ?? null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);

  // The form is the first thing to do on this screen (also after logging out).
  useEffect(() => usernameRef.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onLogin(username.trim(), password);
    } catch (caught) {
      setError(caught);
      setBusy(false);
      usernameRef.current?.focus();
    }
  }

  return (
    <section aria-labelledby="login-heading">
      <h2 id="login-heading">Log in</h2>
      <p>Try joe, jane, ed or admin; the password is the username followed by “-password”.</p>
      <form onSubmit={submit} aria-describedby={error ? "login-error" : undefined}>
        <div id="login-error">
          <ErrorAlert error={error} />
        </div>
        <label>
          Username
          <input ref={usernameRef} name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Logging in…" : "Log in"}
          </button>
        </div>
      </form>
    </section>
  );
}
