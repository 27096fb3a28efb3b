import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";

import { signIn } from "@/auth";
import { safeCallbackPath } from "@/lib/auth/callback";
import { identityProviderAnswers } from "@/lib/auth/oidc";
import { currentUser } from "@/lib/auth/session";
import { logEvent } from "@/lib/log";

// Starts single sign-on. A route handler because a page cannot set the state, nonce and PKCE cookies.
export async function GET(request: NextRequest): Promise<never> {
  const destination = safeCallbackPath(request.nextUrl.searchParams.get("callbackUrl"));
  if (await currentUser()) redirect(destination);
  const next: unknown = await signIn("oidc", { redirectTo: destination, redirect: false });
  const location = typeof next === "string" ? new URL(next, request.nextUrl.origin) : undefined;
  // Auth.js sends every failure to start to its error page. When the identity provider does not answer, that
  // page's "something went wrong, try again" would be wrong: nothing the person does will help until it is back.
  if (!location || location.pathname === "/sign-in-problem") {
    if (!(await identityProviderAnswers())) {
      logEvent("warn", "auth.identity_provider_unreachable", { reference: request.headers.get("x-request-id") });
      redirect("/sign-in-unavailable");
    }
  }
  redirect(location?.toString() ?? "/sign-in-problem");
}
