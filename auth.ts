import { randomBytes } from "node:crypto";

import NextAuth, { type NextAuthConfig } from "next-auth";
import type { NextRequest } from "next/server";

import { isDeactivatedEmail, recordSignIn } from "@/db/queries/users";
import { audit } from "@/lib/audit";
import { IDLE_TIMEOUT_SECONDS } from "@/lib/auth/policy";
import { completeProfile, identityOf, type OidcClaims } from "@/lib/auth/oidc";
import { confideAdapter, sessionOwner } from "@/lib/auth/session-adapter";
import { cookiePrefix, sessionCookieName } from "@/lib/auth/session-cookie";
import { auditSignInFailure } from "@/lib/auth/sign-in-failure";
import { env } from "@/lib/env";
import { logEvent } from "@/lib/log";

// Who a failed sign-in callback came from, for its audit event: the person whose valid session the browser already
// holds, if any (signing in again while signed in), and otherwise nobody: the callback names no one we can trust.
function signedInUserOf(request: NextRequest | undefined, cookieName: string): string | null {
  const token = request?.cookies.get(cookieName)?.value;
  return token ? sessionOwner(token) : null;
}

function config(request: NextRequest | undefined): NextAuthConfig {
  const cfg = env();
  const secure = new URL(cfg.APP_URL).protocol === "https:";
  const cookieOptions = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  const prefix = cookiePrefix();
  const sessionCookie = sessionCookieName();
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
      sessionToken: { name: sessionCookie, options: cookieOptions },
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
      // Auth.js errors can carry claims or tokens in their messages; log only their kind. Every failed sign-in
      // callback reaches here (Auth.js catches it, logs it, and sends the person to the sign-in problem page), so
      // this is where it is audited, by the class of reason only (lib/auth/sign-in-failure.ts).
      error(error) {
        logEvent("error", "auth.error", { name: error.name, type: "type" in error ? String(error.type) : undefined });
        auditSignInFailure(error, () => signedInUserOf(request, sessionCookie));
      },
      warn(code) {
        logEvent("warn", "auth.warning", { code });
      },
      debug() {},
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth((request) => config(request));
