import { redirect } from "next/navigation";
import { NextResponse, type NextRequest } from "next/server";

import { exportMyData } from "@/db/queries/my-data";
import { audit } from "@/lib/audit";
import { currentUser, requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { isSameOriginRequest } from "@/lib/security/origin";

// "Download your data": everything Confide holds about the signed-in person, as JSON. It takes no id and no
// parameter at all: the only data it can ever return is the requester's own.
//
// POST only, from the button on /account (a plain form, so it works without JavaScript). A GET would let any web
// page start a download of someone's confidential requests onto a shared computer just by linking here.

const signInUrl = () => new URL("/signin?callbackUrl=%2Faccount", env().APP_URL);

export async function POST(request: NextRequest): Promise<Response> {
  if (!isSameOriginRequest(request.headers)) {
    audit({ actorId: null, action: "request.origin_rejected", outcome: "denied" });
    return new NextResponse("Forbidden", { status: 403, headers: { "Cache-Control": "no-store" } });
  }
  // requireUser() would answer a POST with a 307, which makes the browser POST again to the sign-in route; a 303
  // sends it there with a GET, and back to /account (where the button is) afterwards.
  const viewer = await currentUser();
  if (!viewer) return NextResponse.redirect(signInUrl(), 303);
  let data;
  try {
    data = exportMyData(viewer);
  } catch (error) {
    // The account went between the session check and the export (erased in another tab): as if signed out.
    if (error instanceof NotFoundError) return NextResponse.redirect(signInUrl(), 303);
    throw error;
  }
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      // The file name says nothing about the person: downloads folders are shared and synced.
      "Content-Disposition": 'attachment; filename="confide-my-data.json"',
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

// Someone who followed the sign-in redirect (or typed the address) lands on the page with the button.
export async function GET(): Promise<never> {
  await requireUser();
  redirect("/account#your-data");
}
