import { randomBytes } from "node:crypto";

import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth, { type NextAuthConfig } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import { eq, sql } from "drizzle-orm";

import { db } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { isDeactivatedEmail, recordSignIn } from "@/db/queries/users";
import { audit } from "@/lib/audit";
import { sessionIsValid, IDLE_TIMEOUT_SECONDS } from "@/lib/auth/policy";
import { completeProfile, identityOf, type OidcClaims } from "@/lib/auth/oidc";
import { clock } from "@/lib/clock";
import { env } from "@/lib/env";
import { logEvent } from "@/lib/log";

// Prepared once per process (config() runs on every request) and lazily, so importing this module prepares nothing.
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

// Wraps the Drizzle adapter with the rules Auth.js does not have: an absolute session lifetime, deactivated
// accounts losing their sessions, and no identity-provider tokens kept in our database (we never call the IdP's
// APIs, and the ID token holds personal data).
function confideAdapter(): Adapter {
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
    // One read per auth() call: the session, its owner and the columns the rules need, in one prepared
    // statement (the base adapter's getSessionAndUser would read the same rows a second time).
    async getSessionAndUser(sessionToken) {
      const row = sessionRead().get({ sessionToken });
      if (!row) return null;
      if (!sessionIsValid(row, clock.now())) {
        db.delete(sessions).where(eq(sessions.sessionToken, sessionToken)).run();
        return null;
      }
      return {
        session: { sessionToken: row.sessionToken, userId: row.userId, expires: row.expires },
        user: { id: row.userId, email: row.email, emailVerified: row.emailVerified, name: row.name, image: row.image },
      };
    },
  };
}

function config(): NextAuthConfig {
  const cfg = env();
  const secure = new URL(cfg.APP_URL).protocol === "https:";
  // Over HTTPS the session cookie gets the __Host- prefix: Secure, no Domain, Path=/ — it cannot be set or read
  // by a sibling subdomain on the intranet.
  const cookieOptions = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  const prefix = secure ? "__Host-" : "";
  return {
    secret: cfg.AUTH_SECRET,
    trustHost: true,
    adapter: confideAdapter(),
    session: {
      strategy: "database",
      // Idle timeout: staff use shared terminals in stations. The absolute limit is in lib/auth/policy.
      maxAge: IDLE_TIMEOUT_SECONDS,
      updateAge: 60,
      generateSessionToken: () => randomBytes(32).toString("hex"),
    },
    cookies: {
      sessionToken: { name: `${prefix}confide.session`, options: cookieOptions },
      csrfToken: { name: `${prefix}confide.csrf`, options: cookieOptions },
      callbackUrl: { name: `${prefix}confide.callback`, options: cookieOptions },
      pkceCodeVerifier: { name: `${prefix}confide.pkce`, options: { ...cookieOptions, maxAge: 900 } },
      state: { name: `${prefix}confide.state`, options: { ...cookieOptions, maxAge: 900 } },
      nonce: { name: `${prefix}confide.nonce`, options: cookieOptions },
    },
    pages: { signIn: "/signin", error: "/sign-in-problem" },
    providers: [
      {
        id: "oidc",
        name: "Single sign-on",
        type: "oidc",
        issuer: cfg.AUTH_OIDC_ISSUER,
        clientId: cfg.AUTH_OIDC_ID,
        clientSecret: cfg.AUTH_OIDC_SECRET,
        checks: ["pkce", "state", "nonce"],
        authorization: { params: { scope: "openid email profile" } },
        // One trusted corporate identity provider: staff records created by the Equality Unit (or the seed) are
        // matched to the person by email address on their first sign-in.
        allowDangerousEmailAccountLinking: true,
        async profile(claims: OidcClaims, tokens) {
          const { email, name } = identityOf(await completeProfile(claims, tokens.access_token));
          return { id: claims.sub, email, name };
        },
      },
    ],
    callbacks: {
      signIn({ user }) {
        if (user.email && isDeactivatedEmail(user.email)) {
          audit({ actorId: user.id ?? null, action: "auth.sign_in", objectType: "user", outcome: "denied" });
          return false;
        }
        return true;
      },
      // Nothing about the person travels with the session but their id; everything else is read per request.
      session({ session, user }) {
        return { ...session, user: { id: user.id, email: "", emailVerified: null } };
      },
    },
    events: {
      signIn({ user }) {
        if (!user.id) return;
        recordSignIn(user.id, user.name);
        audit({ actorId: user.id, action: "auth.sign_in", objectType: "user", objectId: user.id, outcome: "success" });
      },
      createUser({ user }) {
        audit({ actorId: user.id ?? null, action: "user.created", objectType: "user", objectId: user.id, outcome: "success" });
      },
    },
    logger: {
      // Auth.js errors can carry claims or tokens in their messages; log only their kind.
      error(error) {
        logEvent("error", "auth.error", { name: error.name, type: "type" in error ? String(error.type) : undefined });
      },
      warn(code) {
        logEvent("warn", "auth.warning", { code });
      },
      debug() {},
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
