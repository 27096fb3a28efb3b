import { NextResponse, type NextRequest } from "next/server";

import { signOut } from "@/auth";
import { audit } from "@/lib/audit";
import { endSessionUrl } from "@/lib/auth/oidc";
import { currentUser } from "@/lib/auth/session";
import { logEvent } from "@/lib/log";
import { isSameOriginRequest } from "@/lib/security/origin";

// Sign-out ends three things so the next person at a shared terminal starts from the sign-in form: the session
// row (signOut deletes it), whatever the browser holds for this site (Clear-Site-Data), and the session at the
// identity provider (RP-initiated logout). The first two are ours and happen whatever the identity provider does;
// when it does not answer, the third is skipped and /signed-out says they may still be signed in to it.
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (!isSameOriginRequest(request.headers)) {
    audit({ actorId: null, action: "request.origin_rejected", outcome: "denied" });
    return new NextResponse("Forbidden", { status: 403 });
  }
  const user = await currentUser();
  await signOut({ redirect: false });
  if (user) audit({ actorId: user.id, action: "auth.sign_out", objectType: "user", objectId: user.id, outcome: "success" });
  const { url, identityProviderAnswered } = await endSessionUrl();
  if (!identityProviderAnswered) {
    logEvent("warn", "auth.identity_provider_unreachable", { during: "sign_out", reference: request.headers.get("x-request-id") });
  }
  const response = NextResponse.redirect(url, 303);
  response.headers.set("Clear-Site-Data", '"cookies", "storage"');
  return response;
}
