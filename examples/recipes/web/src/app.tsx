import { useMemo, useState } from "react";
import { SecurityProvider, normalizePermissions } from "gatehouse/react";
import type { Identity } from "gatehouse";
import { RecipePermissions } from "../../shared/permissions.js";
import { ApiError, graphql, login, queries } from "./api.js";
import type { Me } from "./api.js";
import { LoginForm } from "./login-form.js";
import { RecipesPage } from "./recipes-page.js";

interface Session {
  token: string;
  me: Me;
}

/**
 * Holds the session (token in memory only) and gives the page one security context:
 * the identity and permissions the API reported for `me`, checked with the same
 * schema module the server imports.
 */
export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<unknown>(null);

  const identity = useMemo<Identity | null>(
    () => (session ? { id: session.me.id, username: session.me.username, displayName: session.me.displayName } : null),
    [session],
  );
  const permissions = useMemo(() => normalizePermissions(session?.me.permissions), [session]);

  async function handleLogin(username: string, password: string) {
    const token = await login(username, password);
    const { me } = await graphql<{ me: Me | null }>(token, queries.me);
    if (!me) throw new ApiError("UNAUTHENTICATED", "The server did not recognise this session.");
    setNotice(null);
    setSession({ token, me });
  }

  function endSession(reason: unknown = null) {
    setSession(null);
    setNotice(reason);
  }

  return (
    <SecurityProvider identity={identity} permissions={permissions} definition={RecipePermissions}>
      <header>
        <h1>Recipe box</h1>
        {session && (
          <div className="actions">
            <span>
              Signed in as <strong>{session.me.displayName}</strong>
            </span>
            <button type="button" onClick={() => endSession()}>
              Log out
            </button>
          </div>
        )}
      </header>
      <main>
        {session ? (
          <RecipesPage key="member" token={session.token} onSessionEnded={endSession} />
        ) : (
          <>
            <LoginForm onLogin={handleLogin} notice={notice} />
            {/* Visitors read the published recipes without an account. */}
            <RecipesPage key="visitor" token={null} onSessionEnded={endSession} />
          </>
        )}
      </main>
    </SecurityProvider>
  );
}
