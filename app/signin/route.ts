import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";

import { signIn } from "@/auth";
import { safeCallbackPath } from "@/lib/auth/callback";
import { currentUser } from "@/lib/auth/session";

// Starts single sign-on. A route handler because a page cannot set the state, nonce and PKCE cookies.
export async function GET(request: NextRequest): Promise<never> {
  const destination = safeCallbackPath(request.nextUrl.searchParams.get("callbackUrl"));
  if (await currentUser()) redirect(destination);
  return signIn("oidc", { redirectTo: destination });
}
