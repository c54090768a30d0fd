import type { StoreContext } from "./changes.js";
import type { Store } from "./types.js";
import { assertText } from "./validate.js";

/** Session revocation: one "revoked at" time per identity, only ever moved forward. @internal */
export function createSessionsApi(ctx: StoreContext): Pick<Store, "revokeSessions" | "sessionsRevokedAt"> {
  return {
    async revokeSessions(identityId) {
      const id = assertText(identityId, "identity id", 500);
      const at = ctx.now();
      return ctx.mutate(async (tx) => {
        // GREATEST: a node with a slow clock must not shorten an earlier, later-dated revocation.
        const { rows } = await tx.query<{ revoked_at: Date }>(
          `INSERT INTO gatehouse_session_revocations (identity_id, revoked_at) VALUES ($1, $2)
           ON CONFLICT (identity_id) DO UPDATE SET revoked_at = GREATEST(gatehouse_session_revocations.revoked_at, EXCLUDED.revoked_at)
           RETURNING revoked_at`,
          [id, at],
        );
        return { result: rows[0]!.revoked_at, changes: [{ kind: "session", id }] };
      });
    },

    async sessionsRevokedAt(identityId) {
      // Nothing invalid can have been stored: an unusable id simply has no revocation.
      if (typeof identityId !== "string" || identityId === "" || identityId.includes("\u0000")) return null;
      const { rows } = await ctx.db.query<{ revoked_at: Date }>(
        "SELECT revoked_at FROM gatehouse_session_revocations WHERE identity_id = $1",
        [identityId],
      );
      return rows[0]?.revoked_at ?? null;
    },
  };
}
