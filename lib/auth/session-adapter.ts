import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { eq, sql } from "drizzle-orm";
import type { Adapter } from "next-auth/adapters";

import { db } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { sessionIsValid } from "@/lib/auth/policy";
import { hashSessionToken } from "@/lib/auth/session-token";
import { clock } from "@/lib/clock";

// Prepared once per process (auth.ts' config() runs on every request) and lazily, so importing this module
// prepares nothing.
function prepareSessionRead() {
  return db
    .select({
      sessionToken: sessions.sessionToken,
      userId: sessions.userId,
      expires: sessions.expires,
      createdAt: sessions.createdAt,
      email: users.email,
      emailVerified: users.emailVerified,
      name: users.name,
      image: users.image,
      deactivatedAt: users.deactivatedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.sessionToken, sql.placeholder("sessionToken")))
    .prepare();
}
let preparedSessionRead: ReturnType<typeof prepareSessionRead> | undefined;
function sessionRead() {
  return (preparedSessionRead ??= prepareSessionRead());
}

// auth.ts' adapter: wraps the Drizzle adapter with the rules Auth.js does not have: an absolute session lifetime, deactivated
// accounts losing their sessions, and no identity-provider tokens kept in our database (we never call the IdP's
// APIs, and the ID token holds personal data).
//
// It also keeps session tokens out of the database: Auth.js hands every method the token from the cookie, and the
// sessions table holds only its SHA-256 (lib/auth/session-token.ts), so a copy of the database file or a backup
// holds no usable session. Auth.js calls createSession at sign-in (and sets the cookie from what it returns: the
// token, not the hash), getSessionAndUser on every auth(), updateSession to slide the idle timeout, and
// deleteSession at sign-out and for an expired session. Anything else that reads sessions by token hashes too
// (e2e/helpers.ts, scripts/bench.ts); deleting a person's sessions goes by user id and needs no token.
export function confideAdapter(): Adapter {
  const base = DrizzleAdapter(db, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
  return {
    ...base,
    createUser: (user) => base.createUser!({ ...user, email: user.email.toLowerCase() }),
    linkAccount: ({ userId, type, provider, providerAccountId }) =>
      base.linkAccount!({ userId, type, provider, providerAccountId }),
    async createSession(session) {
      const row = await base.createSession!({ ...session, sessionToken: hashSessionToken(session.sessionToken) });
      return { ...row, sessionToken: session.sessionToken };
    },
    // One read per auth() call: the session, its owner and the columns the rules need, in one prepared
    // statement (the base adapter's getSessionAndUser would read the same rows a second time).
    async getSessionAndUser(sessionToken) {
      const row = storedSession(sessionToken);
      if (!row) return null;
      if (!sessionIsValid(row, clock.now())) {
        db.delete(sessions).where(eq(sessions.sessionToken, row.sessionToken)).run();
        return null;
      }
      return {
        session: { sessionToken, userId: row.userId, expires: row.expires },
        user: { id: row.userId, email: row.email, emailVerified: row.emailVerified, name: row.name, image: row.image },
      };
    },
    async updateSession(session) {
      const row = await base.updateSession!({ ...session, sessionToken: hashSessionToken(session.sessionToken) });
      return row ? { ...row, sessionToken: session.sessionToken } : row;
    },
    deleteSession: (sessionToken) => base.deleteSession!(hashSessionToken(sessionToken)),
  };
}

function storedSession(sessionToken: string) {
  return sessionRead().get({ sessionToken: hashSessionToken(sessionToken) });
}

/** The person a session cookie's token signs in, while the session is valid; otherwise null. */
export function sessionOwner(sessionToken: string): string | null {
  const row = storedSession(sessionToken);
  return row && sessionIsValid(row, clock.now()) ? row.userId : null;
}
